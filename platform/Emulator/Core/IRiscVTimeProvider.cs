namespace Emulator.Core;

/// <summary>Source of the RISC-V `time` CSR (normally the CLINT's mtime).</summary>
public interface IRiscVTimeProvider
{
    ulong TimerValue { get; }
}
