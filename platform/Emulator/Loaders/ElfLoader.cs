using ELFSharp.ELF;
using ELFSharp.ELF.Sections;
using ELFSharp.ELF.Segments;
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
        using (elf)
        {
            foreach (var segment in elf.Segments)
            {
                if (segment.Type != SegmentType.Load || segment.Size == 0)
                {
                    continue;
                }
                var contents = segment.GetMemoryContents();
                if (!machine.SystemBus.WriteBytes(segment.PhysicalAddress, contents))
                {
                    throw new EmulationException(
                        $"{path}: segment at 0x{segment.PhysicalAddress:X} (0x{segment.Size:X} bytes) is outside the machine's memory");
                }
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
    public static ElfImage Read(string path, out ELF<ulong> elf)
    {
        if (!File.Exists(path))
        {
            throw new EmulationException($"{path}: no such file");
        }
        var header = new byte[20];
        using (var stream = File.OpenRead(path))
        {
            if (stream.Read(header, 0, header.Length) < header.Length)
            {
                throw new EmulationException($"{path}: not an ELF file (too short)");
            }
        }
        if (header[0] != 0x7F || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F')
        {
            throw new EmulationException($"{path}: not an ELF file (bad magic)");
        }
        if (header[4] != 2)
        {
            throw new EmulationException($"{path}: a 32-bit ELF; this machine is RV64 and needs a 64-bit ELF");
        }
        if (header[5] != 1)
        {
            throw new EmulationException($"{path}: a big-endian ELF; RISC-V is little-endian");
        }
        var machineType = (ushort)(header[18] | (header[19] << 8));
        if (machineType != MachineRiscV)
        {
            throw new EmulationException($"{path}: ELF for machine type {machineType}, not RISC-V ({MachineRiscV})");
        }
        try
        {
            elf = ELFReader.Load<ulong>(path);
        }
        catch (Exception e)
        {
            throw new EmulationException($"{path}: malformed ELF: {e.Message}");
        }
        var symbols = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var table in elf.GetSections<SymbolTable<ulong>>())
        {
            foreach (var entry in table.Entries)
            {
                if (!string.IsNullOrEmpty(entry.Name) && entry.Type is SymbolType.Function or SymbolType.Object or SymbolType.NotSpecified)
                {
                    symbols.TryAdd(entry.Name, entry.Value);
                }
            }
        }
        var low = ulong.MaxValue;
        var high = 0UL;
        foreach (var segment in elf.Segments)
        {
            if (segment.Type == SegmentType.Load && segment.Size != 0)
            {
                low = Math.Min(low, segment.PhysicalAddress);
                high = Math.Max(high, segment.PhysicalAddress + segment.Size);
            }
        }
        if (low == ulong.MaxValue)
        {
            elf.Dispose();
            throw new EmulationException($"{path}: the ELF has no loadable segment");
        }
        return new ElfImage(path, elf.EntryPoint, symbols, low, high);
    }
}
