using Emulator.PlatformDescription;
using Emulator.PlatformDescription.Syntax;
using NUnit.Framework;

namespace Emulator.Tests.PlatformDescription;

/// <summary>The grammar on its own: Renode-style text (including parts the builder does not support) parses to the expected tree.</summary>
public class ParserTests
{
    private const string RenodeStyle = """
        using "./cpus/common.repl"

        ddr: Memory.MappedMemory @ {
                sysbus 0x80000000;
                sysbus 0x1000000000
            }
            size: 0x40000000

        u54_1: CPU.RiscV64 @ sysbus
            cpuType: "rv64gc_zicsr_zifencei"
            hartId: 1
            privilegedArchitecture: PrivilegedArchitecture.Priv1_10
            timeProvider: clint
            init:
                RegisterCustomCSR "BPM" 0x7C0 Machine
                SilenceRange <0x0 0x1000> # comment to end of statement

        mmuart0: UART.NS16550 @ sysbus <0x20000000, +0x1000>
            wideRegisters: true
            IRQ -> plic@90 | u54_1@27

        gpio0: @ none

        sysbus:
            init add:
                Tag <0x3000000, 0x3001000> "sysreg" 0x0

        qspi: SPI.Thing @ sysbus new Bus.BusPointRegistration { address: 0x21000000; cpu: u54_1 }
            settings: { "a": 1; 2: [1, empty, .Value] }
            dividers: [-1, 0x10, 2.5]
            [0-3] -> plic@[5-8]
        """;

    private static DescriptionFile Parse(string text) => Parser.Parse(new SourceFile("x.repl", null, text), text);

    [Test]
    public void ParsesRenodeStyleText()
    {
        var file = Parse(RenodeStyle);
        Assert.That(file.Usings.Single().Path, Is.EqualTo("./cpus/common.repl"));
        Assert.That(file.Entries.Select(e => e.Variable), Is.EqualTo(new[] { "ddr", "u54_1", "mmuart0", "gpio0", "sysbus", "qspi" }));

        var ddr = file.Entries[0];
        Assert.That(ddr.TypeName, Is.EqualTo("Memory.MappedMemory"));
        Assert.That(ddr.Registration!.Points.Select(p => ((NumberValue)p.Point!).Integer), Is.EqualTo(new System.Numerics.BigInteger?[] { 0x80000000, 0x1000000000 }));
        Assert.That(((ValueAttribute)ddr.Attributes.Single()).Name, Is.EqualTo("size"));

        var cpu = file.Entries[1];
        var architecture = (EnumValue)cpu.Attributes.OfType<ValueAttribute>().Single(a => a.Name == "privilegedArchitecture").Value!;
        Assert.That((architecture.TypeName, architecture.Member), Is.EqualTo(("PrivilegedArchitecture", "Priv1_10")));
        Assert.That(cpu.Attributes.OfType<ValueAttribute>().Single(a => a.Name == "timeProvider").Value, Is.InstanceOf<ReferenceValue>());
        var init = cpu.Attributes.OfType<InitAttribute>().Single();
        Assert.That(init.Statements, Is.EqualTo(new[] { "RegisterCustomCSR \"BPM\" 0x7C0 Machine", "SilenceRange <0x0 0x1000>" }));

        var uart = file.Entries[2];
        var range = (RangeValue)uart.Registration!.Points.Single().Point!;
        Assert.That((range.Start, range.Size), Is.EqualTo((0x20000000UL, 0x1000UL)));
        var irq = uart.Attributes.OfType<IrqAttribute>().Single();
        Assert.That(irq.Sources!.Single().PropertyName, Is.EqualTo("IRQ"));
        Assert.That(irq.Destinations.Select(d => (d.Target, d.Pins.Single())), Is.EqualTo(new[] { ("plic", 90), ("u54_1", 27) }));

        Assert.That(file.Entries[3].Registration!.IsNone, Is.True);
        var sysbus = file.Entries[4];
        Assert.That(sysbus.IsCreating, Is.False);
        Assert.That(sysbus.Attributes.OfType<InitAttribute>().Single().IsAdd, Is.True);

        var qspi = file.Entries[5];
        var point = (ObjectValue)qspi.Registration!.Points.Single().Point!;
        Assert.That(point.TypeName, Is.EqualTo("Bus.BusPointRegistration"));
        Assert.That(point.Attributes.OfType<ValueAttribute>().Select(a => a.Name), Is.EqualTo(new[] { "address", "cpu" }));
        var settings = (DictionaryValue)qspi.Attributes.OfType<ValueAttribute>().Single(a => a.Name == "settings").Value!;
        Assert.That(settings.Items, Has.Count.EqualTo(2));
        var list = (ListValue)settings.Items[1].Value;
        Assert.That(list.Items[1], Is.Null, "empty");
        Assert.That(((EnumValue)list.Items[2]!).TypeName, Is.Null);
        var dividers = (ListValue)qspi.Attributes.OfType<ValueAttribute>().Single(a => a.Name == "dividers").Value!;
        Assert.That(dividers.Items.Cast<NumberValue>().Select(n => n.Real), Is.EqualTo(new[] { -1.0, 16.0, 2.5 }));
        var numbered = qspi.Attributes.OfType<IrqAttribute>().Single();
        Assert.That(numbered.Sources!.Select(s => s.Number), Is.EqualTo(new int?[] { 0, 1, 2, 3 }));
        Assert.That(numbered.Destinations.Single().Pins, Is.EqualTo(new[] { 5, 6, 7, 8 }));
    }

    [Test]
    public void IndentationBecomesBraces()
    {
        var text = PreLexer.Process(new SourceFile("x", null, ""), "a: T\n    b: 1\n    c:\n        d\n\ne: U\n").Text;
        Assert.That(text, Is.EqualTo("a: T { b: 1; c: { d}}; e: U"));
    }

    [Test]
    public void PositionsPointIntoTheOriginalText()
    {
        var prelexed = PreLexer.Process(new SourceFile("x", null, ""), "// c\na: T\n    b: 1 /* x */ ;\n");
        var index = prelexed.Text.IndexOf('b');
        Assert.That((prelexed.Positions[index].Line, prelexed.Positions[index].Column), Is.EqualTo((3, 5)));
    }
}
