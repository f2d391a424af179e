using Emulator.PlatformDescription;
using NUnit.Framework;

namespace Emulator.Tests.PlatformDescription;

/// <summary>Every error the loader reports: Renode's number, the place (line, and the column of a marker text), and no half-built machine.</summary>
public class ErrorTests
{
    public sealed record Case(string Name, string Text, ParsingErrorCode Code, int Line, string Marker, string? MessagePart = null)
    {
        public override string ToString() => $"E{(int)Code:00} {Name}";
    }

    private static readonly Case[] Cases =
    {
        new("missing colon", "w: Test.Widget @ sysbus 0x1000 { count 3 }", ParsingErrorCode.SyntaxError, 1, "3 }", "expected ':'"),
        new("missing value", "w: Test.Widget @ sysbus 0x1000 { count: }", ParsingErrorCode.SyntaxError, 1, "}", "expected a value"),
        new("using after an entry", "w: Test.Widget\nusing \"x.repl\"", ParsingErrorCode.SyntaxError, 2, "using"),
        new("keyword as a name", "init: Test.Widget", ParsingErrorCode.SyntaxError, 1, "init"),
        new("bad number", "w: Test.Widget { count: 12ab }", ParsingErrorCode.SyntaxError, 1, "12ab"),
        new("unterminated block comment", "/* open\nw: Test.Widget", ParsingErrorCode.SyntaxError, 1, "/*"),
        new("update of an undeclared name", "w:\n    Speed: 1", ParsingErrorCode.VariableNeverDeclared, 1, "w:"),
        new("reference to an undeclared name", "w: Test.Widget { partner: nobody }", ParsingErrorCode.VariableNeverDeclared, 1, "nobody"),
        new("declared twice", "w: Test.Widget\nw: Test.Widget", ParsingErrorCode.VariableAlreadyDeclared, 2, "w:"),
        new("predeclared sysbus", "sysbus: Test.Widget", ParsingErrorCode.VariableAlreadyDeclared, 1, "sysbus"),
        new("empty entry", "w: Test.Widget\nv:", ParsingErrorCode.EmptyEntry, 2, "v:"),
        new("unknown type", "w: Test.Nope @ sysbus 0x1000", ParsingErrorCode.TypeNotResolved, 1, "Test.Nope", "Could not resolve type: 'Test.Nope'"),
        new("register on a non-bus", "a: Test.Widget @ sysbus 0x1000\nb: Test.Widget @ a 0x10", ParsingErrorCode.NoUsableRegisterInterface, 2, "a 0x10"),
        new("string for an int", "w: Test.Widget { count: \"three\" }", ParsingErrorCode.TypeMismatch, 1, "\"three\""),
        new("int out of range", "w: Test.Widget { count: 0x1_0000_0000 }", ParsingErrorCode.TypeMismatch, 1, "0x1_", "out of range"),
        new("reference of the wrong type", "s: Test.Sink\nw: Test.Widget { partner: s }", ParsingErrorCode.TypeMismatch, 2, "s }"),
        new("read-only property", "w: Test.Widget { ReadOnlyThing: \"x\" }", ParsingErrorCode.PropertyNotWritable, 1, "ReadOnlyThing"),
        new("IRQ arity", "sink: Test.Sink\nw: Test.Widget { [0, 1] -> sink@[3] }", ParsingErrorCode.WrongIrqArity, 2, "sink@"),
        new("attribute twice in an entry", "w: Test.Widget { count: 1; count: 2 }", ParsingErrorCode.PropertyOrCtorNameUsedMoreThanOnce, 1, "count: 2"),
        new("unknown property", "w: Test.Widget { Nonexistent: 1 }", ParsingErrorCode.PropertyDoesNotExist, 1, "Nonexistent", "Property 'Nonexistent' does not exist"),
        new("IRQ to nowhere", "w: Test.Widget { -> nothere@3 }", ParsingErrorCode.IrqDestinationDoesNotExist, 1, "nothere"),
        new("IRQ to a non-receiver", "a: Test.Widget\nw: Test.Widget { -> a@3 }", ParsingErrorCode.IrqDestinationIsNotIrqReceiver, 2, "a@3"),
        new("unknown IRQ source", "sink: Test.Sink\nw: Test.Widget { NoSuchLine -> sink@1 }", ParsingErrorCode.IrqSourceDoesNotExist, 2, "NoSuchLine"),
        new("numbered source on a non-numbered output", "sink: Test.Sink\nt: Test.TwoLines { 0 -> sink@1 }", ParsingErrorCode.IrqSourceIsNotNumberedGpioOutput, 2, "0 ->"),
        new("ambiguous default source", "sink: Test.Sink\nt: Test.TwoLines { -> sink@1 }", ParsingErrorCode.AmbiguousDefaultIrqSource, 2, "->"),
        new("source used twice", "sink: Test.Sink\nw: Test.Widget { IRQ -> sink@1; IRQ -> sink@2 }", ParsingErrorCode.IrqSourceUsedMoreThanOnce, 2, "IRQ -> sink@2"),
        new("local receiver", "sink: Test.Sink\nw: Test.Widget { -> sink#2@1 }", ParsingErrorCode.NotLocalGpioReceiver, 2, "sink#2"),
        new("two init sections", "w: Test.Widget { init: { A }; init: { B } }", ParsingErrorCode.MoreThanOneInitAttribute, 1, "init: { B"),
        new("two reset sections", "w: Test.Widget { reset: { A }; reset: { B } }", ParsingErrorCode.MoreThanOneResetAttribute, 1, "reset: { B"),
        new("two preinit sections", "w: Test.Widget { preinit: { A }; preinit: { B } }", ParsingErrorCode.MoreThanOnePreinitAttribute, 1, "preinit: { B"),
        new("no address for a bus peripheral", "w: Test.Widget @ sysbus", ParsingErrorCode.NoCtorForRegistrationPoint, 1, "sysbus"),
        new("per-CPU registration", "w: Test.Widget @ sysbus new Bus.BusPointRegistration { address: 0x1000; cpu: c }", ParsingErrorCode.NoCtorForRegistrationPoint, 1, "cpu:"),
        new("unknown registration object", "w: Test.Widget @ sysbus new Bus.Other { address: 0x1000 }", ParsingErrorCode.NoCtorForRegistrationPoint, 1, "new"),
        new("enum of another type", "w: Test.Widget { mode: Color.Red }", ParsingErrorCode.EnumMismatch, 1, "Color.Red"),
        new("enum member that does not exist", "w: Test.Widget { mode: .Purple }", ParsingErrorCode.EnumMismatch, 1, ".Purple"),
        new("enum number that does not exist", "w: Test.Widget { mode: 7 }", ParsingErrorCode.EnumMismatch, 1, "7 }"),
        new("creation cycle", "a: Test.Widget { partner: b }\nb: Test.Widget { partner: a }", ParsingErrorCode.CreationOrderCycle, 1, "a:", "a -> b -> a"),
        new("unknown constructor parameter", "w: Test.Widget { bogus: 2 }", ParsingErrorCode.NoCtor, 1, "Test.Widget", "no parameter named 'bogus'"),
        new("machine cannot be set", "w: Test.Widget { machine: 1 }", ParsingErrorCode.NoCtor, 1, "Test.Widget", "injected"),
        new("missing required parameter", "c: CPU.RiscV64 @ sysbus", ParsingErrorCode.NoCtor, 1, "CPU.RiscV64", "no value for parameter 'cpuType'"),
        new("ambiguous constructors", "a: Test.Ambiguous", ParsingErrorCode.AmbiguousCtor, 1, "Test.Ambiguous", "Constructor selection report"),
        new("indent not a multiple of 4", "w: Test.Widget\n  count: 1", ParsingErrorCode.WrongIndent, 2, "count"),
        new("tab indent", "w: Test.Widget\n\tcount: 1", ParsingErrorCode.WrongIndent, 2, "\t"),
        new("indented first line", "    w: Test.Widget", ParsingErrorCode.WrongIndent, 1, "w:"),
        new("indent jumps two levels", "w: Test.Widget\n        count: 1", ParsingErrorCode.WrongIndent, 2, "count"),
        new("alias without registration", "w: Test.Widget as \"x\"", ParsingErrorCode.AliasWithoutRegistration, 1, "as"),
        new("alias with @ none", "w: Test.Widget @ none as \"x\"", ParsingErrorCode.AliasWithNoneRegistration, 1, "as"),
        new("using not found", "using \"missing.repl\"\nw: Test.Widget", ParsingErrorCode.UsingFileNotFound, 1, "using", "missing.repl"),
        new("constructor throws", "t: Test.Throwing { value: 4 }", ParsingErrorCode.ConstructionException, 1, "Test.Throwing", "boom 4"),
        new("peripheral constructor rejects a value", "c: IRQControllers.CoreLevelInterruptor @ sysbus 0x2000000 { frequency: 0 }", ParsingErrorCode.ConstructionException, 1, "IRQControllers", "frequency must be positive"),
        new("overlapping registrations", "a: Test.Widget @ sysbus 0x1000\nb: Test.Widget @ sysbus 0x1080", ParsingErrorCode.RegistrationException, 2, "0x1080", "overlaps 'a'"),
        new("address for an unsized peripheral", "u: Test.Unsized @ sysbus 0x1000", ParsingErrorCode.RegistrationException, 1, "sysbus", "range"),
        new("CPU with an address", "c: CPU.RiscV64 @ sysbus 0x1000 { cpuType: \"rv64imac\" }", ParsingErrorCode.RegistrationException, 1, "0x1000"),
        new("name taken through an alias", "a: Test.Widget @ sysbus 0x1000 as \"b\"\nb: Test.Widget @ sysbus 0x2000", ParsingErrorCode.NameSettingException, 2, "b:"),
        new("IRQ pin the source lacks", "sink: Test.Sink\nw: Test.Widget { 7 -> sink@1 }", ParsingErrorCode.IrqSourcePinDoesNotExist, 2, "7 ->"),
        new("GPIO property never initialized", "sink: Test.Sink\nn: Test.NullLine { -> sink@1 }", ParsingErrorCode.UninitializedSourceIrqObject, 2, "->"),
        new("abstract type", "a: Test.AbstractPeripheral", ParsingErrorCode.AbstractType, 1, "Test.AbstractPeripheral"),
    };

    [TestCaseSource(nameof(Cases))]
    public void ReportsRenodesErrorAtThePlace(Case testCase)
    {
        var machine = new Machine();
        var namesBefore = machine.PeripheralNames.ToList();
        var error = Assert.Throws<PlatformDescriptionException>(() => PlatformLoader.LoadFromString(machine, testCase.Text))!;

        Assert.That(error.Code, Is.EqualTo(testCase.Code), error.Message);
        var line = testCase.Text.Replace("\r", "").Split('\n')[testCase.Line - 1];
        Assert.That(error.Position, Is.Not.Null);
        Assert.That(error.Position!.Value.Line, Is.EqualTo(testCase.Line), error.Message);
        Assert.That(error.Position.Value.Column, Is.EqualTo(line.IndexOf(testCase.Marker, StringComparison.Ordinal) + 1), error.Message);
        Assert.That(error.Message, Does.StartWith($"Error E{(int)testCase.Code:00}: "));
        if (testCase.MessagePart != null)
        {
            Assert.That(error.Message, Does.Contain(testCase.MessagePart));
        }
        Assert.That(machine.PeripheralNames, Is.EquivalentTo(namesBefore), "nothing half-built");
        Assert.That(machine.SystemBus.Registrations, Is.Empty);
        Assert.That(machine.Harts, Is.Empty);
    }

    [Test]
    public void MessageHasRenodesLayout()
    {
        var error = Assert.Throws<PlatformDescriptionException>(() =>
            PlatformLoader.LoadFromString(new Machine(), "// board\nuart0: UART.Nope @ sysbus 0x10000000\n", "board.repl"))!;
        Assert.That(error.Message, Is.EqualTo(
            "Error E04: Could not resolve type: 'UART.Nope'.\n" +
            "At board.repl:2:8:\n" +
            "uart0: UART.Nope @ sysbus 0x10000000\n" +
            "       ^"));
    }

    [Test]
    public void IsAnEmulationExceptionSoHostsPrintIt()
    {
        Assert.Throws(Is.InstanceOf<Emulator.Core.EmulationException>(), () => PlatformLoader.LoadFromString(new Machine(), "w:"));
    }

    [Test]
    public void AFailedLoadLeavesAnEarlierLoadIntact()
    {
        var machine = new Machine();
        PlatformLoader.LoadFromString(machine, "w: Test.Widget @ sysbus 0x1000");
        var names = machine.PeripheralNames.ToList();
        var registrations = machine.SystemBus.Registrations.Count;

        var overlap = Assert.Throws<PlatformDescriptionException>(() =>
            PlatformLoader.LoadFromString(machine, "ok: Test.Widget @ sysbus 0x8000\nbad: Test.Widget @ sysbus 0x10F0"))!;
        Assert.That(overlap.Code, Is.EqualTo(ParsingErrorCode.RegistrationException));
        Assert.That(overlap.Message, Does.Contain("overlaps 'w'"));
        var late = Assert.Throws<PlatformDescriptionException>(() =>
            PlatformLoader.LoadFromString(machine, "ok: Test.Widget @ sysbus 0x8000\nbad: Test.Throwing"))!;
        Assert.That(late.Code, Is.EqualTo(ParsingErrorCode.ConstructionException));

        Assert.That(machine.PeripheralNames, Is.EquivalentTo(names));
        Assert.That(machine.SystemBus.Registrations, Has.Count.EqualTo(registrations));
    }

    [Test]
    public void ConstructorAttributesCannotChangeAnExistingObject()
    {
        var machine = new Machine();
        PlatformLoader.LoadFromString(machine, "w: Test.Widget @ sysbus 0x1000");
        var error = Assert.Throws<PlatformDescriptionException>(() => PlatformLoader.LoadFromString(machine, "w:\n    count: 3"))!;
        Assert.That(error.Code, Is.EqualTo(ParsingErrorCode.CtorAttributesInNonCreatingEntry));
        Assert.That(error.Position!.Value.Line, Is.EqualTo(2));
    }

    [Test]
    public void RegisteringAnExistingObjectAgainIsAnError()
    {
        var machine = new Machine();
        PlatformLoader.LoadFromString(machine, "w: Test.Widget @ sysbus 0x1000");
        var error = Assert.Throws<PlatformDescriptionException>(() => PlatformLoader.LoadFromString(machine, "w: @ sysbus 0x2000"))!;
        Assert.That(error.Code, Is.EqualTo(ParsingErrorCode.RegistrationException));
    }

    [Test]
    public void UsingErrors()
    {
        var directory = Directory.CreateTempSubdirectory("repl-errors-");
        try
        {
            string Write(string name, string text)
            {
                var path = Path.Combine(directory.FullName, name);
                File.WriteAllText(path, text);
                return path;
            }
            Write("a.repl", "using \"b.repl\"\n");
            Write("b.repl", "using \"a.repl\"\n");
            var cycle = Assert.Throws<PlatformDescriptionException>(() => PlatformLoader.Load(new Machine(), Path.Combine(directory.FullName, "a.repl")))!;
            Assert.That(cycle.Code, Is.EqualTo(ParsingErrorCode.RecurringUsing));
            Assert.That(cycle.Position!.Value.File.DisplayName, Is.EqualTo("b.repl"));

            Write("c.repl", "w: Test.Widget\n");
            var twice = Write("twice.repl", "using \"c.repl\"\nusing \"./c.repl\"\n");
            var duplicate = Assert.Throws<PlatformDescriptionException>(() => PlatformLoader.Load(new Machine(), twice))!;
            Assert.That(duplicate.Code, Is.EqualTo(ParsingErrorCode.DuplicateUsing));
            Assert.That(duplicate.Position!.Value.Line, Is.EqualTo(2));

            var nested = Write("nested.repl", "using \"c.repl\"\nv: Test.Widget { count: \"x\" }\n");
            var inner = Assert.Throws<PlatformDescriptionException>(() => PlatformLoader.Load(new Machine(), nested))!;
            Assert.That(inner.Message, Does.Contain("nested.repl:2:"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
