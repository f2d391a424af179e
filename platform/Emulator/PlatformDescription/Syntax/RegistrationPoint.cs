namespace Emulator.PlatformDescription.Syntax;

/// <summary>One <c>@ parent point</c> item: the register (usually <c>sysbus</c>) and an optional point (address or range).</summary>
public sealed record RegistrationPoint(SourcePosition Position, string Register, Value? Point);
