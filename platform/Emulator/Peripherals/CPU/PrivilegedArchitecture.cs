namespace Emulator.Peripherals.CPU;

/// <summary>Renode's `privilegedArchitecture` attribute values. This hart implements 1.11/1.12 semantics for all of them.</summary>
public enum PrivilegedArchitecture
{
    Priv1_09,
    Priv1_10,
    Priv1_11,
    Priv1_12,
    PrivUnratified,
}
