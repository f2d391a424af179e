using Emulator.Core;
using Emulator.Peripherals.CPU;
using Emulator.PlatformDescription;
using Emulator.Tests.PlatformDescription.Peripherals.Test;
using NUnit.Framework;

namespace Emulator.Tests.PlatformDescription;

/// <summary>A table of valid platform descriptions and what each must build.</summary>
public class GoodInputTests
{
    private static T Get<T>(Machine machine, string name)
    {
        Assert.That(machine.TryGetByName(name, out var peripheral), Is.True, $"no peripheral '{name}'");
        return (T)(object)peripheral;
    }

    private static Widget Widget(Machine machine, string name = "w") => Get<Widget>(machine, name);

    private static ulong? AddressOf(Machine machine, string name) =>
        machine.SystemBus.Registrations.FirstOrDefault(r => r.Name == name)?.Start;

    public sealed record Case(string Name, string Text, Action<Machine, PlatformLoadResult> Check)
    {
        public override string ToString() => Name;
    }

    private static readonly Case[] Cases =
    {
        new("one-line block", "w: Test.Widget @ sysbus 0x1000 { count: 3; label: \"x\" }", (m, _) =>
        {
            Assert.That(Widget(m).Count, Is.EqualTo(3));
            Assert.That(Widget(m).Label, Is.EqualTo("x"));
            Assert.That(AddressOf(m, "w"), Is.EqualTo(0x1000UL));
            Assert.That(Widget(m).Machine, Is.SameAs(m), "the machine is injected");
        }),
        new("indented attributes", "w: Test.Widget @ sysbus 0x1000\n    count: 4\n    label: \"y\"\n", (m, _) =>
        {
            Assert.That(Widget(m).Count, Is.EqualTo(4));
            Assert.That(Widget(m).Label, Is.EqualTo("y"));
        }),
        new("explicit braces over several lines", "w: Test.Widget @ sysbus 0x1000 {\n  count: 5;\n      label: \"z\"\n}\nv: Test.Widget @ sysbus 0x2000", (m, _) =>
        {
            Assert.That(Widget(m).Count, Is.EqualTo(5));
            Assert.That(AddressOf(m, "v"), Is.EqualTo(0x2000UL));
        }),
        new("comments everywhere", "// header\n/* block\n   comment */\nw: Test.Widget @ sysbus 0x1000 // trailing\n    label: \"a//b\" /* inline */\n\n    // indented comment\n    count: 2\n", (m, _) =>
        {
            Assert.That(Widget(m).Label, Is.EqualTo("a//b"));
            Assert.That(Widget(m).Count, Is.EqualTo(2));
        }),
        new("Renode namespace prefix", "w: Antmicro.Renode.Peripherals.Test.Widget @ sysbus 0x1000", (m, _) => Assert.That(Widget(m), Is.Not.Null)),
        new("enum by type, by shorthand and by number", "a: Test.Widget { mode: Mode.Fast }\nb: Test.Widget { mode: .Fast }\nc: Test.Widget { mode: 1 }\nw: Test.Widget @ sysbus 0x1000 { partner: a }\nx: Test.Widget @ sysbus 0x2000 { partner: b }\ny: Test.Widget @ sysbus 0x3000 { partner: c }", (m, _) =>
        {
            Assert.That(Widget(m, "w").Partner!.Mode, Is.EqualTo(Mode.Fast));
            Assert.That(Widget(m, "x").Partner!.Mode, Is.EqualTo(Mode.Fast));
            Assert.That(Widget(m, "y").Partner!.Mode, Is.EqualTo(Mode.Fast));
        }),
        new("numbers: hex, separators, negative, real", "w: Test.Widget @ sysbus 0x1000 { count: 1_000; address: 0xFFFF_FFFF_FFFF_FFFF; offset: -5; ratio: 2.5 }", (m, _) =>
        {
            Assert.That(Widget(m).Count, Is.EqualTo(1000));
            Assert.That(Widget(m).Address, Is.EqualTo(ulong.MaxValue));
            Assert.That(Widget(m).Offset, Is.EqualTo(-5));
            Assert.That(Widget(m).Ratio, Is.EqualTo(2.5));
        }),
        new("booleans in both spellings", "w: Test.Widget @ sysbus 0x1000 { flag: True }\nv: Test.Widget @ sysbus 0x2000 { flag: false }", (m, _) =>
        {
            Assert.That(Widget(m, "w").Flag, Is.True);
            Assert.That(Widget(m, "v").Flag, Is.False);
        }),
        new("reference to an entry declared later", "w: Test.Widget @ sysbus 0x1000 { partner: p }\np: Test.Widget @ sysbus 0x2000 { count: 9 }", (m, _) =>
            Assert.That(Widget(m, "w").Partner, Is.SameAs(Widget(m, "p")))),
        new("lists for parameters and properties", "w: Test.Widget @ sysbus 0x1000 { values: [1, 2, 3]; Names: [\"a\", \"b\",] }", (m, _) =>
        {
            Assert.That(Widget(m).Values, Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(Widget(m).Names, Is.EqualTo(new[] { "a", "b" }));
        }),
        new("property set", "w: Test.Widget @ sysbus 0x1000\n    Speed: 7", (m, _) => Assert.That(Widget(m).Speed, Is.EqualTo(7))),
        new("range registrations", "w: Test.Widget @ sysbus <0x2000, +0x300>\nv: Test.Unsized @ sysbus <0x3000, 0x3400>", (m, _) =>
        {
            var w = m.SystemBus.Registrations.Single(r => r.Name == "w");
            var v = m.SystemBus.Registrations.Single(r => r.Name == "v");
            Assert.That((w.Start, w.Size), Is.EqualTo((0x2000UL, 0x300UL)));
            Assert.That((v.Start, v.Size), Is.EqualTo((0x3000UL, 0x400UL)));
        }),
        new("several registration points", "w: Test.Widget @ { sysbus 0x1000; sysbus 0x5000 }", (m, _) =>
            Assert.That(m.SystemBus.Registrations.Where(r => r.Name == "w").Select(r => r.Start), Is.EqualTo(new[] { 0x1000UL, 0x5000UL }))),
        new("inline registration objects", "w: Test.Widget @ sysbus new Bus.BusPointRegistration { address: 0x6000 }\nv: Test.Unsized @ sysbus new Bus.BusRangeRegistration { address: 0x7000; size: 0x80; offset: 0 }", (m, _) =>
        {
            Assert.That(AddressOf(m, "w"), Is.EqualTo(0x6000UL));
            var v = m.SystemBus.Registrations.Single(r => r.Name == "v");
            Assert.That((v.Start, v.Size), Is.EqualTo((0x7000UL, 0x80UL)));
        }),
        new("alias", "w: Test.Widget @ sysbus 0x1000 as \"other\"", (m, _) =>
        {
            Assert.That(m.TryGetByName("w", out var unused), Is.False);
            Assert.That(Get<Widget>(m, "other"), Is.Not.Null);
            Assert.That(AddressOf(m, "other"), Is.EqualTo(0x1000UL));
        }),
        new("updating entry merges, last wins", "w: Test.Widget @ sysbus 0x1000\n    count: 1\n    label: \"first\"\n\nw:\n    count: 5\n    label: none\n", (m, _) =>
        {
            Assert.That(Widget(m).Count, Is.EqualTo(5));
            Assert.That(Widget(m).Label, Is.EqualTo("first"), "none keeps the earlier value");
        }),
        new("empty means the type's default", "w: Test.Widget @ sysbus 0x1000 { label: empty; count: empty }", (m, _) =>
        {
            Assert.That(Widget(m).Label, Is.Null);
            Assert.That(Widget(m).Count, Is.EqualTo(0));
        }),
        new("@ none cancels a registration", "w: Test.Widget @ sysbus 0x1000\nw: @ none", (m, r) =>
        {
            Assert.That(m.TryGetByName("w", out var unused), Is.False);
            Assert.That(AddressOf(m, "w"), Is.Null);
            Assert.That(r.CreatedNames, Is.EqualTo(new[] { "w" }), "created, but not registered");
        }),
        new("later registration moves it", "w: Test.Widget @ sysbus 0x1000\nw: @ sysbus 0x4000", (m, _) => Assert.That(AddressOf(m, "w"), Is.EqualTo(0x4000UL))),
        new("CPU registers as a hart", "cpu7: CPU.RiscV64 @ sysbus { cpuType: \"rv64imac_zicsr_zifencei\"; hartId: 7; privilegedArchitecture: PrivilegedArchitecture.Priv1_10; allowUnalignedAccesses: true }", (m, _) =>
        {
            var hart = m.Harts.Single();
            Assert.That(hart.HartId, Is.EqualTo(7u));
            Assert.That(hart.PrivilegedArchitecture, Is.EqualTo(PrivilegedArchitecture.Priv1_10));
            Assert.That(hart.AllowUnalignedAccesses, Is.True);
            Assert.That(m.GetName(hart), Is.EqualTo("cpu7"));
        }),
        new("every IRQ form", "sink: Test.Sink\nsink2: Test.Sink\nw: Test.Widget @ sysbus 0x1000\n    -> sink@3\n    0 -> sink@5\n    [1, 2] -> sink@[6, 7]\nv: Test.Widget @ sysbus 0x2000\n    IRQ -> sink@20 | sink2@21\n    [0-3] -> sink@[13-10]", (m, _) =>
        {
            var w = Widget(m, "w");
            var v = Widget(m, "v");
            Assert.That(w.IRQ.Endpoints.Single().Number, Is.EqualTo(3));
            Assert.That(w.Connections[0].Endpoints.Single().Number, Is.EqualTo(5));
            Assert.That(w.Connections[1].Endpoints.Single().Number, Is.EqualTo(6));
            Assert.That(w.Connections[2].Endpoints.Single().Number, Is.EqualTo(7));
            Assert.That(v.IRQ.Endpoints.Select(e => e.Number), Is.EqualTo(new[] { 20, 21 }));
            Assert.That(v.Connections.OrderBy(c => c.Key).Select(c => c.Value.Endpoints.Single().Number), Is.EqualTo(new[] { 13, 12, 11, 10 }));
            v.IRQ.Set(true);
            Assert.That(((Sink)v.IRQ.Endpoints[0].Receiver).Level(20), Is.True);
            Assert.That(((Sink)v.IRQ.Endpoints[1].Receiver).Level(21), Is.True);
        }),
        new("two sources on one pin are ORed", "sink: Test.Sink\na: Test.Widget @ sysbus 0x1000 { IRQ -> sink@1 }\nb: Test.Widget @ sysbus 0x2000 { IRQ -> sink@1 }", (m, _) =>
        {
            // `sink` has no registration, so it is not in the machine: find it through the wiring.
            var combiner = (GpioCombiner)Widget(m, "a").IRQ.Endpoints.Single().Receiver;
            Assert.That(Widget(m, "b").IRQ.Endpoints.Single().Receiver, Is.SameAs(combiner));
            var sink = (Sink)combiner.Output.Endpoints.Single().Receiver;
            Assert.That(combiner.Output.Endpoints.Single().Number, Is.EqualTo(1));
            Widget(m, "a").IRQ.Set(true);
            Widget(m, "b").IRQ.Set(true);
            Widget(m, "a").IRQ.Set(false);
            Assert.That(sink.Level(1), Is.True, "b still drives the pin");
            Widget(m, "b").IRQ.Set(false);
            Assert.That(sink.Level(1), Is.False);
        }),
        new("later IRQ entry replaces, -> none cancels", "sink: Test.Sink\nw: Test.Widget @ sysbus 0x1000\n    IRQ -> sink@1\n    0 -> sink@2\nw:\n    IRQ -> sink@4\n    0 -> none", (m, _) =>
        {
            Assert.That(Widget(m).IRQ.Endpoints.Single().Number, Is.EqualTo(4));
            Assert.That(Widget(m).Connections[0].IsConnected, Is.False);
        }),
        new("init, init add and reset sections", "w: Test.Widget @ sysbus 0x1000\n    init:\n        Speed 3\n        Foo \"a;b\" # comment\n    reset:\n        Speed 1\nw:\n    init add:\n        Bar 0x10", (_, r) =>
        {
            Assert.That(r.InitCommands.Select(c => c.Command), Is.EqualTo(new[] { "w Speed 3", "w Foo \"a;b\"", "w Bar 0x10" }));
            Assert.That(r.ResetCommands.Select(c => c.Command), Is.EqualTo(new[] { "w Speed 1" }));
        }),
        new("init replaces earlier init", "w: Test.Widget @ sysbus 0x1000 { init: { A; B } }\nw: { init: { C } }", (_, r) =>
            Assert.That(r.InitCommands.Select(c => c.Command), Is.EqualTo(new[] { "w C" }))),
        new("local entries", "local helper: Test.Widget { count: 8 }\nw: Test.Widget @ sysbus 0x1000 { partner: helper }", (m, _) =>
            Assert.That(Widget(m).Partner!.Count, Is.EqualTo(8))),
        new("updating a predeclared object: sysbus", "sysbus:\n    init:\n        Tag <0x0, 0x100> \"boot\"", (_, r) =>
            Assert.That(r.InitCommands.Single().Command, Is.EqualTo("sysbus Tag <0x0, 0x100> \"boot\""))),
        new("multi-line string", "w: Test.Widget @ sysbus 0x1000 { label: '''one\ntwo''' }", (m, _) => Assert.That(Widget(m).Label, Is.EqualTo("one\ntwo"))),
        new("escaped quotes", "w: Test.Widget @ sysbus 0x1000 { label: \"say \\\"hi\\\" \\\\o/\" }", (m, _) => Assert.That(Widget(m).Label, Is.EqualTo("say \"hi\" \\o/"))),
        new("parameter by its alias", "a: Test.Aliased { limit: 30 }\nw: Test.Widget @ sysbus 0x1000 { Names: [] }", (m, r) =>
            Assert.That(r.CreatedNames, Is.EqualTo(new[] { "a", "w" }))),
        new("CRLF line ends", "w: Test.Widget @ sysbus 0x1000\r\n    count: 6\r\n", (m, _) => Assert.That(Widget(m).Count, Is.EqualTo(6))),
    };

    [TestCaseSource(nameof(Cases))]
    public void Builds(Case testCase)
    {
        var machine = new Machine();
        var result = PlatformLoader.LoadFromString(machine, testCase.Text);
        testCase.Check(machine, result);
    }

    [Test]
    public void UsingsAreRelativeToTheIncludingFileAndLoadFirst()
    {
        var directory = Directory.CreateTempSubdirectory("repl-using-");
        try
        {
            Directory.CreateDirectory(Path.Combine(directory.FullName, "sub"));
            File.WriteAllText(Path.Combine(directory.FullName, "base.repl"), "w: Test.Widget @ sysbus 0x1000\n    count: 1\n");
            File.WriteAllText(Path.Combine(directory.FullName, "sub", "middle.repl"), "using \"../base.repl\"\n\nw:\n    count: 2\n");
            File.WriteAllText(Path.Combine(directory.FullName, "top.repl"), "using \"./sub/middle.repl\"\nusing \"base.repl\"\n\nw:\n    Speed: 3\n");
            var machine = new Machine();
            PlatformLoader.Load(machine, Path.Combine(directory.FullName, "top.repl"));
            Assert.That(Widget(machine).Count, Is.EqualTo(2), "middle's update comes after base's declaration");
            Assert.That(Widget(machine).Speed, Is.EqualTo(3));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Test]
    public void ASecondLoadUpdatesObjectsOfTheFirst()
    {
        var machine = new Machine();
        PlatformLoader.LoadFromString(machine, "cpu: CPU.RiscV64 @ sysbus { cpuType: \"rv64imac\" }\nw: Test.Widget @ sysbus 0x1000 { IRQ -> cpu@3 }");
        PlatformLoader.LoadFromString(machine, "w:\n    Speed: 9\n    IRQ -> cpu@7\nv: Test.Widget @ sysbus 0x2000 { partner: w }");
        Assert.That(Widget(machine).Speed, Is.EqualTo(9));
        Assert.That(Widget(machine).IRQ.Endpoints.Single(), Is.EqualTo(new GpioEndpoint(machine.Harts[0], 7)));
        Assert.That(Widget(machine, "v").Partner, Is.SameAs(Widget(machine)));
    }

    [Test]
    public void AliasedParameterNameReachesTheConstructor()
    {
        var machine = new Machine();
        PlatformLoader.LoadFromString(machine, "a: Test.Aliased @ sysbus 0x3000 { limit: 30 }");
        Assert.That(Get<Aliased>(machine, "a").SpeedLimit, Is.EqualTo(30));
        var error = Assert.Throws<PlatformDescriptionException>(() => PlatformLoader.LoadFromString(new Machine(), "a: Test.Aliased { speedLimit: 1; limit: 2 }"))!;
        Assert.That(error.Code, Is.EqualTo(ParsingErrorCode.AliasedAndNormalArgumentName));
        Assert.That(error.Position!.Value.Column, Is.EqualTo("a: Test.Aliased { speedLimit: 1; ".Length + 1));
    }

    [Test]
    public void InitOfAnUnregisteredObjectIsNotRun()
    {
        var result = PlatformLoader.LoadFromString(new Machine(), "helper: Test.Widget\n    init:\n        Foo\nw: Test.Widget @ sysbus 0x1000 { init: { Bar } }");
        Assert.That(result.InitCommands.Select(c => c.Command), Is.EqualTo(new[] { "w Bar" }));
    }

    [Test]
    public void ALaterLoadOnAnAlreadyDrivenPinIsOred()
    {
        var machine = new Machine();
        PlatformLoader.LoadFromString(machine, "cpu: CPU.RiscV64 @ sysbus { cpuType: \"rv64imac\" }\na: Test.Widget @ sysbus 0x1000 { IRQ -> cpu@11; 0 -> cpu@3 }");
        PlatformLoader.LoadFromString(machine, "b: Test.Widget @ sysbus 0x2000 { IRQ -> cpu@11 }");
        var a = Widget(machine, "a");
        var b = Widget(machine, "b");
        var hart = machine.Harts[0];
        var gate = (GpioCombiner)a.IRQ.Endpoints.Single().Receiver;
        Assert.That(b.IRQ.Endpoints.Single().Receiver, Is.SameAs(gate));
        Assert.That(gate.Output.Endpoints.Single(), Is.EqualTo(new GpioEndpoint(hart, 11)));
        Assert.That(a.Connections[0].Endpoints.Single(), Is.EqualTo(new GpioEndpoint(hart, 3)), "other wiring of the earlier load stays");

        PlatformLoader.LoadFromString(machine, "c: Test.Widget @ sysbus 0x3000 { IRQ -> cpu@11 }");
        var c = Widget(machine, "c");
        var outer = (GpioCombiner)c.IRQ.Endpoints.Single().Receiver;
        Assert.That(gate.Output.Endpoints.Single().Receiver, Is.SameAs(outer), "the first gate feeds the new one");
        a.IRQ.Set(true);
        Assert.That(outer.Output.IsSet, Is.True);
        a.IRQ.Set(false);
        c.IRQ.Set(true);
        Assert.That(outer.Output.IsSet, Is.True);
        c.IRQ.Set(false);
        Assert.That(outer.Output.IsSet, Is.False);
    }

    [Test]
    public void InitCommandsKnowWhereTheyCameFrom()
    {
        var result = PlatformLoader.LoadFromString(new Machine(), "w: Test.Widget @ sysbus 0x1000\n    init:\n        Foo", "board.repl");
        var command = result.InitCommands.Single();
        Assert.That(command.ObjectName, Is.EqualTo("w"));
        Assert.That(command.Statement, Is.EqualTo("Foo"));
        Assert.That(command.Position.File.DisplayName, Is.EqualTo("board.repl"));
        Assert.That(command.Position.Line, Is.EqualTo(2));
    }
}
