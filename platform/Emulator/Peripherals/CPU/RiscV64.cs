using Emulator.Core;

namespace Emulator.Peripherals.CPU;

/// <summary>
/// An RV64IMAC hart with Zicsr and Zifencei, M/S/U privilege and Sv39 (Renode's `CPU.RiscV64`).
/// GPIO inputs drive `mip`: 1 SSIP, 3 MSIP, 5 STIP, 7 MTIP, 9 SEIP, 11 MEIP.
/// The hart is not thread-safe: everything but the machine's emulation thread reaches it through Machine.Post
/// or while the machine is paused.
/// </summary>
public sealed partial class RiscV64 : IGPIOReceiver
{
    public RiscV64(string cpuType, IRiscVTimeProvider? timeProvider = null, uint hartId = 0,
        [PlatformDescription.NameAlias("privilegeArchitecture")] PrivilegedArchitecture privilegedArchitecture = PrivilegedArchitecture.Priv1_11,
        bool allowUnalignedAccesses = false)
    {
        CpuType = cpuType;
        TimeProvider = timeProvider;
        HartId = hartId;
        PrivilegedArchitecture = privilegedArchitecture;
        AllowUnalignedAccesses = allowUnalignedAccesses;
        misa = ParseCpuType(cpuType);
        Reset();
    }

    public string CpuType { get; }

    public uint HartId { get; }

    public IRiscVTimeProvider? TimeProvider { get; set; }

    public PrivilegedArchitecture PrivilegedArchitecture { get; }

    public bool AllowUnalignedAccesses { get; set; }

    /// <summary>Virtual speed: instructions per microsecond of virtual time (Renode's default is 100).</summary>
    public double PerformanceInMips { get; set; } = 100;

    /// <summary>Where PC points after reset (Renode's default 0x1000; loaders set PC directly).</summary>
    public ulong ResetVector { get; set; } = 0x1000;

    /// <summary>A halted hart does not execute (GDB pause, not WFI).</summary>
    public bool IsHalted { get; set; }

    public HartStatistics Statistics { get; } = new();
}
