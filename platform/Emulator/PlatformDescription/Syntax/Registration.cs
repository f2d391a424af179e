namespace Emulator.PlatformDescription.Syntax;

/// <summary>An entry's <c>@ ...</c> part: <c>@ none</c> or one or more registration points.</summary>
public sealed record Registration(SourcePosition Position, bool IsNone, IReadOnlyList<RegistrationPoint> Points);
