using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Emulator.Core;
using Emulator.Loaders;

namespace Emulator.Devicetree;

/// <summary>
/// The boot handoff of QEMU virt with <c>-bios none</c>: every hart starts at the ELF entry with
/// a0 = its hart ID and a1 = the address of a device tree describing the board. The blob goes near the top
/// of main RAM (64 KiB below the end, 4 KiB aligned) unless that would overlap the loaded image.
/// The state is remembered per machine so a guest-requested reset (test finisher 0x7777) can restore it.
/// </summary>
public static class BootSetup
{
    public const ulong TopOfRamReserve = 64 * 1024;
    private const ulong PageSize = 4096;
    private const int RegisterA0 = 10;
    private const int RegisterA1 = 11;

    private static readonly ConditionalWeakTable<Machine, BootState> States = new();

    /// <summary>Builds the device tree, places it, and sets every hart's PC, a0 and a1. Returns the blob's address.</summary>
    public static ulong Apply(Machine machine, ElfImage image)
    {
        var bus = machine.SystemBus;
        if (bus.Ram == null)
        {
            throw new EmulationException("the machine has no RAM to hold the device tree");
        }
        var blob = DeviceTreeBuilder.Build(machine);
        var size = ((ulong)blob.Length + PageSize - 1) & ~(PageSize - 1);
        var ramEnd = bus.RamBase + bus.RamSize;
        var reserve = Math.Max(TopOfRamReserve, size);
        if (reserve > bus.RamSize)
        {
            throw new EmulationException($"the device tree ({blob.Length} bytes) does not fit in RAM");
        }
        var address = (ramEnd - reserve) & ~(PageSize - 1);
        if (address < image.HighestAddress && image.LowestAddress < address + (ulong)blob.Length)
        {
            throw new EmulationException(
                $"{image.Path} reaches 0x{image.HighestAddress:X}, into the top 64 KiB of RAM where the device tree goes (0x{address:X}); link it lower");
        }
        var state = new BootState(image.EntryPoint, address, blob);
        States.AddOrUpdate(machine, state);
        ApplyState(machine, state);
        return address;
    }

    /// <summary>Copies a device tree blob from a file into memory (the monitor's `sysbus LoadFdt @file addr`).</summary>
    public static void LoadFdt(Machine machine, string path, ulong address)
    {
        if (!File.Exists(path))
        {
            throw new EmulationException($"{path}: no such file");
        }
        var blob = File.ReadAllBytes(path);
        machine.NoteInputFile(path);
        if (blob.Length < 40 || BinaryPrimitives.ReadUInt32BigEndian(blob) != FlattenedDeviceTree.Magic)
        {
            throw new EmulationException($"{path}: not a flattened device tree (bad magic)");
        }
        if (!machine.SystemBus.WriteBytes(address, blob))
        {
            throw new EmulationException($"{path}: 0x{address:X}..0x{address + (ulong)blob.Length - 1:X} is not in the machine's memory");
        }
    }

    /// <summary>
    /// After a machine reset: puts the device tree back and restores every hart's entry PC, a0 and a1 as
    /// <see cref="Apply"/> left them. Without a recorded boot, harts go to the loaded ELF's entry, if any.
    /// </summary>
    public static void RestoreBootState(Machine machine)
    {
        if (States.TryGetValue(machine, out var state))
        {
            ApplyState(machine, state);
            return;
        }
        if (machine.LoadedImage != null)
        {
            foreach (var hart in machine.Harts)
            {
                hart.PC = machine.LoadedImage.EntryPoint;
            }
        }
    }

    /// <summary>Address of the device tree placed by <see cref="Apply"/>, if any.</summary>
    public static ulong? GetFdtAddress(Machine machine) => States.TryGetValue(machine, out var state) ? state.FdtAddress : null;

    private static void ApplyState(Machine machine, BootState state)
    {
        if (!machine.SystemBus.WriteBytes(state.FdtAddress, state.Blob))
        {
            throw new EmulationException($"cannot write the device tree at 0x{state.FdtAddress:X}");
        }
        foreach (var hart in machine.Harts)
        {
            hart.PC = state.Entry;
            hart.SetRegister(RegisterA0, hart.HartId);
            hart.SetRegister(RegisterA1, state.FdtAddress);
        }
    }

    private sealed record BootState(ulong Entry, ulong FdtAddress, byte[] Blob);
}
