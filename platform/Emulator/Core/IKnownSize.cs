namespace Emulator.Core;

/// <summary>A bus peripheral that knows how much address space it occupies.</summary>
public interface IKnownSize
{
    long Size { get; }
}
