using Emulator.Core;
using Emulator.Peripherals.CPU;

namespace Emulator.Devicetree;

/// <summary>
/// Describes a machine as a device tree in the shape of QEMU virt's: /cpus (with timebase-frequency and a
/// cpu-intc per hart), /memory@base for main RAM, /soc with every bus device that implements
/// <see cref="IDeviceTreeDevice"/> (reg from its registration, interrupts read off its GPIO wiring), and
/// /chosen/stdout-path pointing at the first UART.
/// </summary>
public static class DeviceTreeBuilder
{
    /// <summary>Used when the harts' time source does not say its rate (QEMU virt's CLINT rate).</summary>
    public const ulong DefaultTimebaseFrequency = 10_000_000;

    public static byte[] Build(Machine machine) =>
        FlattenedDeviceTree.Serialize(BuildTree(machine), machine.Harts.Count > 0 ? machine.Harts[0].HartId : 0);

    public static DeviceTreeNode BuildTree(Machine machine)
    {
        var phandles = new Dictionary<object, uint>(ReferenceEqualityComparer.Instance);
        uint nextPhandle = 1;
        foreach (var hart in machine.Harts)
        {
            phandles[hart] = nextPhandle++;
        }
        var devices = machine.SystemBus.Registrations.Where(r => r.Peripheral is IDeviceTreeDevice).ToList();
        foreach (var registration in devices)
        {
            if (registration.Peripheral is IIRQController && !phandles.ContainsKey(registration.Peripheral))
            {
                phandles[registration.Peripheral] = nextPhandle++;
            }
        }
        var context = new DeviceTreeContext(machine, phandles);

        var root = new DeviceTreeNode("");
        root.SetCells("#address-cells", 2);
        root.SetCells("#size-cells", 2);
        root.SetStrings("compatible", "riscv-virtio");
        root.SetString("model", "riscv-virtio,qemu");
        var chosen = root.AddChild("chosen");

        AddCpus(root, machine, phandles);

        var bus = machine.SystemBus;
        if (bus.Ram != null)
        {
            var memory = root.AddChild($"memory@{bus.RamBase:x}");
            memory.SetString("device_type", "memory");
            memory.SetReg(bus.RamBase, bus.RamSize);
        }

        var soc = root.AddChild("soc");
        soc.SetCells("#address-cells", 2);
        soc.SetCells("#size-cells", 2);
        soc.SetStrings("compatible", "simple-bus");
        soc.SetEmpty("ranges");
        string? stdoutPath = null;
        foreach (var registration in devices)
        {
            var device = (IDeviceTreeDevice)registration.Peripheral;
            var node = soc.AddChild($"{device.DeviceTreeNodeName}@{registration.Start:x}");
            node.SetReg(registration.Start, registration.Size);
            device.DescribeDeviceTree(node, context);
            if (phandles.TryGetValue(registration.Peripheral, out var phandle))
            {
                node.SetCells("phandle", phandle);
            }
            if (stdoutPath == null && registration.Peripheral is IUART)
            {
                stdoutPath = $"/soc/{node.Name}";
            }
        }
        if (stdoutPath != null)
        {
            chosen.SetString("stdout-path", stdoutPath);
        }
        return root;
    }

    /// <summary>"imac_zicsr_zifencei" -> i, m, a, c, zicsr, zifencei ("g" stands for imafd_zicsr_zifencei).</summary>
    internal static string[] IsaExtensions(string extensions)
    {
        var parts = extensions.Split('_', StringSplitOptions.RemoveEmptyEntries);
        var result = new List<string>();
        if (parts.Length > 0)
        {
            foreach (var letter in parts[0])
            {
                if (letter == 'g')
                {
                    result.AddRange(new[] { "i", "m", "a", "f", "d", "zicsr", "zifencei" });
                }
                else
                {
                    result.Add(letter.ToString());
                }
            }
        }
        foreach (var name in parts.Skip(1))
        {
            if (!result.Contains(name))
            {
                result.Add(name);
            }
        }
        return result.Distinct().ToArray();
    }

    private static void AddCpus(DeviceTreeNode root, Machine machine, Dictionary<object, uint> phandles)
    {
        var cpus = root.AddChild("cpus");
        cpus.SetCells("#address-cells", 1);
        cpus.SetCells("#size-cells", 0);
        var timebase = machine.Harts.Count > 0 && machine.Harts[0].TimeProvider is ITimebaseSource source
            ? source.TimebaseFrequency
            : DefaultTimebaseFrequency;
        cpus.SetCells("timebase-frequency", (uint)timebase);
        foreach (var hart in machine.Harts)
        {
            var cpu = cpus.AddChild($"cpu@{hart.HartId:x}");
            cpu.SetString("device_type", "cpu");
            cpu.SetCells("reg", hart.HartId);
            cpu.SetString("status", "okay");
            cpu.SetStrings("compatible", "riscv");
            var isa = hart.CpuType.ToLowerInvariant();
            cpu.SetString("riscv,isa", isa);
            // The newer split form (Linux 6.4+ prefers it): base ISA and one string per extension.
            if (isa.Length > 4 && (isa.StartsWith("rv64", StringComparison.Ordinal) || isa.StartsWith("rv32", StringComparison.Ordinal)))
            {
                cpu.SetString("riscv,isa-base", isa[..4] + "i");
                cpu.SetStrings("riscv,isa-extensions", IsaExtensions(isa[4..]));
            }
            cpu.SetString("mmu-type", "riscv,sv39");
            var intc = cpu.AddChild("interrupt-controller");
            intc.SetCells("#address-cells", 0);
            intc.SetCells("#interrupt-cells", 1);
            intc.SetEmpty("interrupt-controller");
            intc.SetStrings("compatible", "riscv,cpu-intc");
            intc.SetCells("phandle", phandles[hart]);
        }
    }
}
