using Emulator.Core;
using Emulator.Loaders;
using Emulator.Peripherals.CPU;

namespace Emulator.Monitor;

/// <summary>The monitor's `sysbus` object: loading images and raw bus accesses.</summary>
public sealed class SystemBusObject
{
    private readonly Machine machine;

    internal SystemBusObject(Machine machine)
    {
        this.machine = machine;
    }

    /// <summary>Loads an ELF's segments and symbols and points every hart's PC at its entry.</summary>
    public void LoadELF(string path) => ElfLoader.Load(machine, path);

    /// <summary>Loads an ELF and points only <paramref name="cpu"/>'s PC at its entry.</summary>
    public void LoadELF(string path, RiscV64 cpu)
    {
        var image = ElfLoader.Load(machine, path, setPc: false);
        cpu.PC = image.EntryPoint;
    }

    /// <summary>Renode's full form; physical addresses are always used here.</summary>
    public void LoadELF(string path, bool useVirtualAddress, bool allowLoadsOnlyToMemory = true, RiscV64? cpu = null)
    {
        if (cpu == null)
        {
            LoadELF(path);
        }
        else
        {
            LoadELF(path, cpu);
        }
    }

    /// <summary>Copies a raw file to memory; PCs are untouched.</summary>
    public void LoadBinary(string path, ulong address)
    {
        var data = ReadFile(path);
        machine.NoteInputFile(path);
        if (!machine.SystemBus.WriteBytes(address, data))
        {
            throw new MonitorException($"{path}: 0x{data.Length:X} bytes at 0x{address:X} do not fit in the machine's memory");
        }
    }

    /// <summary>Copies a flattened device tree blob (.dtb) to memory.</summary>
    public void LoadFdt(string path, ulong address) => Devicetree.BootSetup.LoadFdt(machine, path, address);

    /// <summary>Renode's form with boot arguments: only an empty `bootargs` is supported (the blob is loaded as is).</summary>
    public void LoadFdt(string path, ulong address, string bootargs, bool append = true)
    {
        if (bootargs.Length > 0)
        {
            throw new MonitorException("LoadFdt: changing bootargs is not supported; load a blob that has them");
        }
        LoadFdt(path, address);
    }

    public byte ReadByte(ulong address) => (byte)Read(address, 1);

    public ushort ReadWord(ulong address) => (ushort)Read(address, 2);

    public uint ReadDoubleWord(ulong address) => (uint)Read(address, 4);

    public ulong ReadQuadWord(ulong address) => Read(address, 8);

    public void WriteByte(ulong address, byte value) => Write(address, 1, value);

    public void WriteWord(ulong address, ushort value) => Write(address, 2, value);

    public void WriteDoubleWord(ulong address, uint value) => Write(address, 4, value);

    public void WriteQuadWord(ulong address, ulong value) => Write(address, 8, value);

    /// <summary>Logs every access to a peripheral (`[cpu0: 0x...] ReadUInt32 from 0x..., returned 0x...`).</summary>
    public void LogPeripheralAccess(IPeripheral peripheral, bool enable = true)
    {
        var found = false;
        foreach (var r in machine.SystemBus.Registrations)
        {
            if (ReferenceEquals(r.Peripheral, peripheral))
            {
                r.LogAccesses = enable;
                found = true;
            }
        }
        if (!found)
        {
            throw new MonitorException($"{machine.GetName(peripheral)} is not mapped on the system bus");
        }
    }

    public void LogAllPeripheralsAccess(bool enable = true)
    {
        foreach (var r in machine.SystemBus.Registrations)
        {
            if (!ReferenceEquals(r.Peripheral, machine.SystemBus.Ram))
            {
                r.LogAccesses = enable;
            }
        }
    }

    /// <summary>Which peripheral answers at an address.</summary>
    public string WhatIsAt(ulong address)
    {
        var r = machine.SystemBus.FindRegistration(address);
        return r == null ? $"nothing is mapped at 0x{address:X}" : $"{r.Name} <0x{r.Start:X8}, 0x{r.End - 1:X8}>";
    }

    /// <summary>The address of an ELF symbol from the last LoadELF.</summary>
    public ulong GetSymbolAddress(string symbol)
    {
        var image = machine.LoadedImage ?? throw new MonitorException("no ELF loaded; use `sysbus LoadELF @file` first");
        return image.Symbols.TryGetValue(symbol, out var address) ? address : throw new MonitorException($"no symbol '{symbol}' in {Path.GetFileName(image.Path)}");
    }

    private ulong Read(ulong address, int size)
    {
        if (!machine.SystemBus.TryRead(address, size, out var value))
        {
            throw new MonitorException($"nothing is mapped at 0x{address:X}");
        }
        return value;
    }

    private void Write(ulong address, int size, ulong value)
    {
        if (!machine.SystemBus.TryWrite(address, size, value))
        {
            throw new MonitorException($"nothing is mapped at 0x{address:X}");
        }
    }

    private static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MonitorException($"{path}: {(e is FileNotFoundException ? "no such file" : e.Message)}");
        }
    }
}
