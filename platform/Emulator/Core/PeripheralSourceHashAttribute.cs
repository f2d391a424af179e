namespace Emulator.Core;

/// <summary>
/// SHA-256 (hex) of a Renode plugin source built into this assembly (peripherals/Emulator.Peripherals.csproj adds
/// one per file). `include @file.cs` of a byte-identical file uses the built-in types instead of compiling a copy.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class PeripheralSourceHashAttribute : Attribute
{
    public PeripheralSourceHashAttribute(string sha256)
    {
        Sha256 = sha256;
    }

    public string Sha256 { get; }
}
