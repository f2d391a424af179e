using Emulator.Core;

namespace Emulator.Loaders;

/// <summary>
/// Loads a 64-bit little-endian RISC-V ELF: PT_LOAD segments at their physical addresses, symbols kept,
/// every hart's PC set to the entry, and `tohost` (when defined) watched for HTIF exits.
/// Every problem is reported as an <see cref="EmulationException"/> that says what is wrong.
/// </summary>
public static class ElfLoader
{
    private const ushort MachineRiscV = 243;

    public static ElfImage Load(Machine machine, string path, bool setPc = true)
    {
        var image = Read(path, out var elf);
        machine.NoteInputFile(path);
        foreach (var segment in elf.LoadSegments)
        {
            if (!machine.SystemBus.WriteBytes(segment.PhysicalAddress, elf.MemoryContents(segment)))
            {
                throw new EmulationException(
                    $"{path}: segment at 0x{segment.PhysicalAddress:X} (0x{segment.MemorySize:X} bytes) is outside the machine's memory");
            }
        }
        if (setPc)
        {
            foreach (var hart in machine.Harts)
            {
                hart.PC = image.EntryPoint;
            }
        }
        if (image.Symbols.TryGetValue("tohost", out var tohost))
        {
            machine.SetHtifToHost(tohost);
        }
        machine.LoadedImage = image;
        return image;
    }

    /// <summary>Validates the file and reads its layout without loading it.</summary>
    internal static ElfImage Read(string path, out ElfFile elf)
    {
        if (!File.Exists(path))
        {
            throw new EmulationException($"{path}: no such file");
        }
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EmulationException($"{path}: cannot read: {e.Message}");
        }
        if (bytes.Length < 20)
        {
            throw new EmulationException($"{path}: not an ELF file (too short)");
        }
        if (bytes[0] != 0x7F || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
        {
            throw new EmulationException($"{path}: not an ELF file (bad magic)");
        }
        if (bytes[4] != 2)
        {
            throw new EmulationException($"{path}: a 32-bit ELF; this machine is RV64 and needs a 64-bit ELF");
        }
        if (bytes[5] != 1)
        {
            throw new EmulationException($"{path}: a big-endian ELF; RISC-V is little-endian");
        }
        var machineType = (ushort)(bytes[18] | (bytes[19] << 8));
        if (machineType != MachineRiscV)
        {
            throw new EmulationException($"{path}: ELF for machine type {machineType}, not RISC-V ({MachineRiscV})");
        }
        elf = ElfFile.Parse(path, bytes);
        var low = ulong.MaxValue;
        var high = 0UL;
        foreach (var segment in elf.LoadSegments)
        {
            low = Math.Min(low, segment.PhysicalAddress);
            high = Math.Max(high, segment.PhysicalAddress + segment.MemorySize);
        }
        if (low == ulong.MaxValue)
        {
            throw new EmulationException($"{path}: the ELF has no loadable segment");
        }
        return new ElfImage(path, elf.EntryPoint, elf.Symbols, low, high);
    }
}
