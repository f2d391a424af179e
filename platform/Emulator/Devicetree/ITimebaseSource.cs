namespace Emulator.Devicetree;

/// <summary>A hart time provider that knows its tick rate, reported as /cpus/timebase-frequency.</summary>
public interface ITimebaseSource
{
    ulong TimebaseFrequency { get; }
}
