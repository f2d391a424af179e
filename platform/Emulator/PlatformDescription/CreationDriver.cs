using System.Reflection;
using System.Text;
using Emulator.Bus;
using Emulator.Core;
using Emulator.Peripherals.CPU;
using Emulator.PlatformDescription.Syntax;

namespace Emulator.PlatformDescription;

/// <summary>
/// Turns parsed platform descriptions into peripherals in a machine, after Renode's CreationDriver:
/// merge entries per variable, resolve types, check attributes, constructors, registrations and
/// interrupts, create objects in dependency order, and only then touch the machine (register, wire IRQs).
/// Every problem is a <see cref="PlatformDescriptionException"/> with Renode's error number, raised before
/// the machine changes, so a failed load leaves nothing half-built behind.
/// </summary>
internal sealed class CreationDriver
{
    private readonly Machine machine;
    private readonly Dictionary<string, Variable> globals = new(StringComparer.Ordinal);
    private readonly Dictionary<LocalName, Variable> locals = new();
    private readonly List<Variable> declarationOrder = new();

    public CreationDriver(Machine machine)
    {
        this.machine = machine;
        foreach (var (name, peripheral) in machine.Peripherals)
        {
            globals[name] = new Variable(name, null) { Existing = peripheral, Type = peripheral.GetType(), Instance = peripheral };
        }
    }

    public PlatformLoadResult Run(IReadOnlyList<DescriptionFile> files)
    {
        foreach (var file in files)
        {
            foreach (var entry in file.Entries)
            {
                ApplyEntry(file.Source, entry);
            }
        }
        var toCreate = declarationOrder.Where(v => v.IsCreated).ToList();
        foreach (var variable in declarationOrder)
        {
            ValidateProperties(variable);
            ValidateIrqDestinations(variable);
            ValidateRegistration(variable);
        }
        foreach (var variable in toCreate)
        {
            SelectConstructor(variable);
        }
        ValidateNames();
        var order = CreationOrder(toCreate);

        foreach (var variable in order)
        {
            Create(variable);
        }
        foreach (var variable in order)
        {
            SetProperties(variable);
        }
        foreach (var variable in declarationOrder)
        {
            ValidateIrqSourcesAfterCreation(variable);
        }
        var busPlan = PlanBusRegistrations();
        Commit(busPlan);

        // As in Renode, init and reset statements run only for objects the machine knows by name.
        var named = declarationOrder.Where(v => v.IsRegistered || v.Existing != null).ToList();
        var init = named.SelectMany(v => v.Init.Select(c => c with { ObjectName = v.FinalName })).ToList();
        var reset = named.SelectMany(v => v.ResetStatements.Select(c => c with { ObjectName = v.FinalName })).ToList();
        var preinit = declarationOrder.SelectMany(v => v.Preinit.Select(c => c with { ObjectName = v.FinalName })).ToList();
        return new PlatformLoadResult(toCreate.Select(v => v.FinalName).ToList(), init, reset, preinit);
    }

    private Variable? Lookup(SourceFile file, string name)
    {
        if (locals.TryGetValue(new LocalName(file, name), out var local))
        {
            return local;
        }
        return globals.TryGetValue(name, out var global) ? global : null;
    }

    private void ApplyEntry(SourceFile file, Entry entry)
    {
        Variable variable;
        if (entry.IsCreating)
        {
            var existing = entry.IsLocal ? (locals.TryGetValue(new LocalName(file, entry.Variable), out var l) ? l : null) : Lookup(file, entry.Variable) ?? AnyLocal(entry.Variable);
            if (existing != null)
            {
                throw new PlatformDescriptionException(ParsingErrorCode.VariableAlreadyDeclared,
                    $"Variable '{entry.Variable}' was already declared{(existing.Position is { } p ? $" at {p}" : " (it exists in the machine)")}.", entry.Position);
            }
            variable = new Variable(entry.Variable, entry.Position) { CreatingEntry = entry };
            variable.Type = ResolveType(entry.TypeName!, entry.TypePosition!.Value);
            if (entry.IsLocal)
            {
                locals[new LocalName(file, entry.Variable)] = variable;
            }
            else
            {
                globals[entry.Variable] = variable;
            }
            declarationOrder.Add(variable);
        }
        else
        {
            variable = Lookup(file, entry.Variable)
                ?? throw new PlatformDescriptionException(ParsingErrorCode.VariableNeverDeclared,
                    $"Variable '{entry.Variable}' is never declared; an entry without a type only updates an existing one.", entry.Position);
            if (variable.Existing != null && !declarationOrder.Contains(variable))
            {
                declarationOrder.Add(variable);
            }
        }

        var seenNames = new HashSet<string>(StringComparer.Ordinal);
        var seenSources = new HashSet<string>(StringComparer.Ordinal);
        var seenKinds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attribute in entry.Attributes)
        {
            switch (attribute)
            {
                case ValueAttribute value:
                    if (!seenNames.Add(value.Name))
                    {
                        throw new PlatformDescriptionException(ParsingErrorCode.PropertyOrCtorNameUsedMoreThanOnce,
                            $"'{value.Name}' is set more than once in this entry.", value.Position);
                    }
                    if (value.IsConstructorParameter)
                    {
                        if (!variable.IsCreated)
                        {
                            throw new PlatformDescriptionException(ParsingErrorCode.CtorAttributesInNonCreatingEntry,
                                $"'{value.Name}' is a constructor parameter, but '{variable.Name}' already exists; only properties (upper-case names) can be changed.", value.Position);
                        }
                        if (!value.IsNone)
                        {
                            variable.ConstructorAttributes[value.Name] = value;
                        }
                    }
                    else if (!value.IsNone)
                    {
                        variable.Properties[value.Name] = value;
                    }
                    break;
                case InitAttribute init:
                    if (!seenKinds.Add(init.Kind))
                    {
                        var code = init.Kind switch
                        {
                            "reset" => ParsingErrorCode.MoreThanOneResetAttribute,
                            "preinit" => ParsingErrorCode.MoreThanOnePreinitAttribute,
                            _ => ParsingErrorCode.MoreThanOneInitAttribute,
                        };
                        throw new PlatformDescriptionException(code, $"More than one {init.Kind} section in this entry.", init.Position);
                    }
                    var list = init.Kind switch
                    {
                        "reset" => variable.ResetStatements,
                        "preinit" => variable.Preinit,
                        _ => variable.Init,
                    };
                    if (!init.IsAdd)
                    {
                        list.Clear();
                    }
                    list.AddRange(init.Statements.Select(s => new InitCommand(variable.Name, s, init.Position)));
                    break;
                case IrqAttribute irq:
                    ApplyIrq(variable, irq, seenSources);
                    break;
            }
        }
        if (entry.Registration != null)
        {
            variable.Registration = entry.Registration;
        }
        if (entry.Alias != null)
        {
            variable.Alias = entry.Alias;
            variable.AliasPosition = entry.AliasPosition;
        }
    }

    private Variable? AnyLocal(string name) => locals.FirstOrDefault(l => l.Key.Name == name).Value;

    private static Type ResolveType(string name, SourcePosition position)
    {
        var candidates = TypeResolver.FindCandidates(name);
        if (candidates.Count == 0)
        {
            throw new PlatformDescriptionException(ParsingErrorCode.TypeNotResolved, $"Could not resolve type: '{name}'.", position);
        }
        if (candidates.Count > 1)
        {
            throw new PlatformDescriptionException(ParsingErrorCode.TypeNotResolved,
                $"Type name '{name}' is ambiguous: {string.Join(", ", candidates.Select(c => c.FullName))}.", position);
        }
        var type = candidates[0];
        if (type.IsAbstract || type.IsInterface)
        {
            throw new PlatformDescriptionException(ParsingErrorCode.AbstractType, $"Type '{type.FullName}' is abstract and cannot be created.", position);
        }
        return type;
    }

    private void ApplyIrq(Variable variable, IrqAttribute irq, HashSet<string> seenSources)
    {
        var type = variable.Type!;
        var sources = irq.Sources ?? new[] { new IrqSource(irq.Position, null, null) };
        var keys = new List<string>();
        foreach (var source in sources)
        {
            string key;
            if (source.Number is { } number)
            {
                if (!typeof(INumberedGPIOOutput).IsAssignableFrom(type))
                {
                    throw new PlatformDescriptionException(ParsingErrorCode.IrqSourceIsNotNumberedGpioOutput,
                        $"'{variable.Name}' ({type.Name}) has no numbered interrupt outputs; name the GPIO property instead (e.g. IRQ -> ...).", source.Position);
                }
                key = "#" + number;
            }
            else if (source.PropertyName is { } name)
            {
                var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
                if (property == null || !typeof(GPIO).IsAssignableFrom(property.PropertyType))
                {
                    throw new PlatformDescriptionException(ParsingErrorCode.IrqSourceDoesNotExist,
                        $"'{variable.Name}' ({type.Name}) has no interrupt output '{name}'.", source.Position);
                }
                key = name;
            }
            else
            {
                var gpios = GpioProperties(type);
                if (gpios.Count == 0)
                {
                    throw new PlatformDescriptionException(ParsingErrorCode.IrqSourceDoesNotExist,
                        $"'{variable.Name}' ({type.Name}) has no GPIO output to use as the default interrupt source.", source.Position);
                }
                if (gpios.Count > 1)
                {
                    throw new PlatformDescriptionException(ParsingErrorCode.AmbiguousDefaultIrqSource,
                        $"'{variable.Name}' ({type.Name}) has several GPIO outputs ({string.Join(", ", gpios.Select(g => g.Name))}); name the one to connect.", source.Position);
                }
                key = gpios[0].Name;
            }
            if (!seenSources.Add(key))
            {
                throw new PlatformDescriptionException(ParsingErrorCode.IrqSourceUsedMoreThanOnce,
                    $"Interrupt source {source.Describe()} of '{variable.Name}' is connected more than once in this entry.", source.Position);
            }
            keys.Add(key);
        }
        foreach (var destination in irq.Destinations)
        {
            if (destination.Pins.Count != sources.Count)
            {
                throw new PlatformDescriptionException(ParsingErrorCode.WrongIrqArity,
                    $"Wrong IRQ arity: {sources.Count} source(s) but {destination.Pins.Count} destination pin(s) on '{destination.Target}'.", destination.Position);
            }
        }
        for (var i = 0; i < sources.Count; i++)
        {
            variable.Irqs[keys[i]] = irq.Destinations.Count == 0
                ? null
                : new IrqPlan(sources[i], irq.Destinations.Select(d => (d, d.Pins[i])).ToList());
        }
    }

    private static List<PropertyInfo> GpioProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => typeof(GPIO).IsAssignableFrom(p.PropertyType)).ToList();

    private bool ResolveReference(ReferenceValue reference, out Type type, out object? instance)
    {
        var variable = Lookup(reference.Position.File, reference.Name);
        type = variable?.Type ?? typeof(object);
        instance = variable?.Instance;
        return variable != null;
    }

    private void ValidateProperties(Variable variable)
    {
        foreach (var attribute in variable.Properties.Values)
        {
            var property = variable.Type!.GetProperty(attribute.Name, BindingFlags.Public | BindingFlags.Instance);
            if (property == null)
            {
                throw new PlatformDescriptionException(ParsingErrorCode.PropertyDoesNotExist,
                    $"Property '{attribute.Name}' does not exist in type '{variable.Type.Name}'.", attribute.Position);
            }
            if (property.SetMethod is not { IsPublic: true })
            {
                throw new PlatformDescriptionException(ParsingErrorCode.PropertyNotWritable,
                    $"Property '{attribute.Name}' of type '{variable.Type.Name}' is not writable.", attribute.Position);
            }
            if (!ValueConverter.TryConvert(attribute.Value, attribute.IsEmpty, property.PropertyType, ResolveReference, out _, out var error))
            {
                throw error!;
            }
        }
    }

    private void ValidateIrqDestinations(Variable variable)
    {
        foreach (var plan in variable.Irqs.Values)
        {
            if (plan == null)
            {
                continue;
            }
            foreach (var (destination, _) in plan.Targets)
            {
                var target = Lookup(destination.Position.File, destination.Target)
                    ?? throw new PlatformDescriptionException(ParsingErrorCode.IrqDestinationDoesNotExist,
                        $"Interrupt destination '{destination.Target}' does not exist.", destination.Position);
                if (!typeof(IGPIOReceiver).IsAssignableFrom(target.Type))
                {
                    throw new PlatformDescriptionException(ParsingErrorCode.IrqDestinationIsNotIrqReceiver,
                        $"'{destination.Target}' ({target.Type!.Name}) cannot receive interrupts (it is not an IGPIOReceiver).", destination.Position);
                }
                if (destination.LocalIndex != null)
                {
                    throw new PlatformDescriptionException(ParsingErrorCode.NotLocalGpioReceiver,
                        $"'{destination.Target}' ({target.Type!.Name}) has no local interrupt receivers ('#{destination.LocalIndex}').", destination.Position);
                }
            }
        }
    }

    private void ValidateRegistration(Variable variable)
    {
        if (variable.Alias != null && variable.Registration == null)
        {
            throw new PlatformDescriptionException(ParsingErrorCode.AliasWithoutRegistration,
                $"'{variable.Name}' has an alias but no registration ('as' needs '@ sysbus ...').", variable.AliasPosition);
        }
        if (variable.Alias != null && variable.Registration!.IsNone)
        {
            throw new PlatformDescriptionException(ParsingErrorCode.AliasWithNoneRegistration,
                $"'{variable.Name}' has an alias but its registration is '@ none'.", variable.AliasPosition);
        }
        if (!variable.IsRegistered)
        {
            return;
        }
        var registration = variable.Registration!;
        if (variable.Existing != null)
        {
            throw new PlatformDescriptionException(ParsingErrorCode.RegistrationException,
                $"'{variable.Name}' is already registered in the machine.", registration.Position);
        }
        var type = variable.Type!;
        foreach (var point in registration.Points)
        {
            var parent = Lookup(point.Position.File, point.Register)
                ?? throw new PlatformDescriptionException(ParsingErrorCode.VariableNeverDeclared,
                    $"Variable '{point.Register}' is never declared.", point.Position);
            if (parent.Instance is not SystemBusPeripheral)
            {
                throw new PlatformDescriptionException(ParsingErrorCode.NoUsableRegisterInterface,
                    $"'{point.Register}' ({parent.Type!.Name}) cannot register peripherals; only sysbus can here.", point.Position);
            }
            var isCpu = typeof(RiscV64).IsAssignableFrom(type);
            switch (NormalizePoint(point.Point))
            {
                case null when isCpu:
                    if (registration.Points.Count > 1)
                    {
                        throw new PlatformDescriptionException(ParsingErrorCode.RegistrationException,
                            $"CPU '{variable.Name}' can be registered only once.", point.Position);
                    }
                    break;
                case null:
                    throw new PlatformDescriptionException(ParsingErrorCode.NoCtorForRegistrationPoint,
                        $"'{variable.Name}' ({type.Name}) needs an address to be registered: '@ sysbus 0x1000' or '@ sysbus <0x1000, +0x100>'.", point.Position);
                case NumberValue or RangeValue when isCpu:
                    throw new PlatformDescriptionException(ParsingErrorCode.RegistrationException,
                        $"CPU '{variable.Name}' is registered with '@ sysbus' alone, without an address.", point.Point!.Position);
                case NumberValue number:
                    if (number.Integer is not { } address || address < 0 || address > ulong.MaxValue)
                    {
                        throw new PlatformDescriptionException(ParsingErrorCode.TypeMismatch,
                            $"Type mismatch: {number.Text} is not a bus address.", number.Position);
                    }
                    if (!typeof(IBusPeripheral).IsAssignableFrom(type))
                    {
                        throw new PlatformDescriptionException(ParsingErrorCode.RegistrationException,
                            $"'{variable.Name}' ({type.Name}) is not a bus peripheral.", point.Position);
                    }
                    if (!typeof(IKnownSize).IsAssignableFrom(type))
                    {
                        throw new PlatformDescriptionException(ParsingErrorCode.RegistrationException,
                            $"'{variable.Name}' ({type.Name}) does not know its size; register it with a range: '@ sysbus <0x{(ulong)address:X}, +size>'.", point.Position);
                    }
                    break;
                case RangeValue range:
                    if (!typeof(IBusPeripheral).IsAssignableFrom(type))
                    {
                        throw new PlatformDescriptionException(ParsingErrorCode.RegistrationException,
                            $"'{variable.Name}' ({type.Name}) is not a bus peripheral.", point.Position);
                    }
                    if (range.Size == 0)
                    {
                        throw new PlatformDescriptionException(ParsingErrorCode.RegistrationException,
                            "A registration range cannot be empty.", range.Position);
                    }
                    break;
                default:
                    throw new PlatformDescriptionException(ParsingErrorCode.NoCtorForRegistrationPoint,
                        $"Registration point {point.Point!.Describe()} is not supported; use an address or a range.", point.Point.Position);
            }
        }
    }

    /// <summary>
    /// Renode's inline registration objects as the plain forms they amount to here:
    /// <c>new Bus.BusPointRegistration { address: A }</c> is <c>A</c>, <c>new Bus.BusRangeRegistration { address: A; size: S }</c>
    /// is <c>&lt;A, +S&gt;</c>. Per-CPU views (<c>cpu:</c>, <c>cluster:</c>) and offsets are not supported.
    /// </summary>
    private static Value? NormalizePoint(Value? point)
    {
        if (point is not ObjectValue inline)
        {
            return point;
        }
        var isPoint = inline.TypeName.EndsWith("BusPointRegistration", StringComparison.Ordinal);
        var isRange = inline.TypeName.EndsWith("BusRangeRegistration", StringComparison.Ordinal);
        if (!isPoint && !isRange)
        {
            throw new PlatformDescriptionException(ParsingErrorCode.NoCtorForRegistrationPoint,
                $"Registration point type '{inline.TypeName}' is not supported; use Bus.BusPointRegistration, Bus.BusRangeRegistration, an address or a range.", inline.Position);
        }
        NumberValue? address = null;
        NumberValue? size = null;
        foreach (var attribute in inline.Attributes)
        {
            if (attribute is ValueAttribute { Name: "address", Value: NumberValue a })
            {
                address = a;
            }
            else if (attribute is ValueAttribute { Name: "size", Value: NumberValue s } && isRange)
            {
                size = s;
            }
            else if (attribute is ValueAttribute { Name: "offset", Value: NumberValue { Integer: { IsZero: true } } })
            {
                continue;
            }
            else
            {
                throw new PlatformDescriptionException(ParsingErrorCode.NoCtorForRegistrationPoint,
                    $"'{(attribute as ValueAttribute)?.Name ?? "this attribute"}' is not supported in {inline.TypeName} here (only address{(isRange ? " and size" : "")}).", attribute.Position);
            }
        }
        if (address?.Integer is not { } start || start < 0 || start > ulong.MaxValue)
        {
            throw new PlatformDescriptionException(ParsingErrorCode.NoCtorForRegistrationPoint,
                $"{inline.TypeName} needs an 'address'.", inline.Position);
        }
        if (isPoint)
        {
            return address;
        }
        if (size?.Integer is not { } length || length <= 0 || length > ulong.MaxValue)
        {
            throw new PlatformDescriptionException(ParsingErrorCode.NoCtorForRegistrationPoint,
                $"{inline.TypeName} needs a positive 'size'.", inline.Position);
        }
        return new RangeValue(inline.Position, (ulong)start, (ulong)length);
    }

    private void ValidateNames()
    {
        var names = new Dictionary<string, Variable>(StringComparer.Ordinal);
        foreach (var variable in declarationOrder.Where(v => v.IsRegistered))
        {
            var name = variable.FinalName;
            if (machine.TryGetByName(name, out _) || !names.TryAdd(name, variable))
            {
                throw new PlatformDescriptionException(ParsingErrorCode.NameSettingException,
                    $"The name '{name}' is already taken in the machine.", variable.AliasPosition ?? variable.Position);
            }
        }
    }

    private void SelectConstructor(Variable variable)
    {
        var type = variable.Type!;
        var constructors = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance);
        var fitting = new List<ConstructorInfo>();
        var report = new StringBuilder();
        PlatformDescriptionException? onlyError = null;
        foreach (var constructor in constructors)
        {
            var problems = new List<string>();
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var parameter in constructor.GetParameters())
            {
                var name = parameter.Name ?? "";
                if (parameter.ParameterType == typeof(Machine) || MachineViews.IsView(parameter.ParameterType))
                {
                    if (variable.ConstructorAttributes.ContainsKey(name))
                    {
                        used.Add(name);
                        problems.Add($"parameter '{name}' is the machine, which is injected and cannot be set");
                    }
                    continue;
                }
                var given = ParameterNames(parameter).Where(variable.ConstructorAttributes.ContainsKey).ToList();
                if (given.Count > 1)
                {
                    throw new PlatformDescriptionException(ParsingErrorCode.AliasedAndNormalArgumentName,
                        $"Parameter '{name}' is given twice, as '{given[0]}' and '{given[1]}'; use one name.",
                        variable.ConstructorAttributes[given[1]].Position);
                }
                if (given.Count == 1 && variable.ConstructorAttributes.TryGetValue(given[0], out var attribute))
                {
                    used.Add(given[0]);
                    if (!ValueConverter.TryConvert(attribute.Value, attribute.IsEmpty, parameter.ParameterType, ResolveReference, out _, out var error))
                    {
                        problems.Add($"parameter '{name}': {error!.Description}");
                        onlyError ??= error;
                    }
                }
                else if (!parameter.HasDefaultValue)
                {
                    problems.Add($"no value for parameter '{name}' ({ValueConverter.FriendlyName(parameter.ParameterType)})");
                }
            }
            foreach (var unused in variable.ConstructorAttributes.Keys.Where(k => !used.Contains(k)))
            {
                problems.Add($"no parameter named '{unused}'");
            }
            report.Append("\n  ").Append(Signature(constructor)).Append(": ")
                .Append(problems.Count == 0 ? "suitable" : string.Join("; ", problems));
            if (problems.Count == 0)
            {
                fitting.Add(constructor);
            }
        }
        if (fitting.Count == 1)
        {
            variable.Constructor = fitting[0];
            return;
        }
        var position = variable.CreatingEntry!.TypePosition;
        if (fitting.Count == 0)
        {
            // With a single constructor, a bad value is best reported where it was written.
            if (constructors.Length == 1 && onlyError != null)
            {
                throw onlyError;
            }
            throw new PlatformDescriptionException(ParsingErrorCode.NoCtor,
                $"Could not find a suitable constructor for type '{type.FullName}'.\nConstructor selection report:{report}", position);
        }
        throw new PlatformDescriptionException(ParsingErrorCode.AmbiguousCtor,
            $"Ambiguous choice between constructors for type '{type.FullName}'.\nConstructor selection report:{report}", position);
    }

    private static string Signature(ConstructorInfo constructor) =>
        constructor.DeclaringType!.Name + "(" + string.Join(", ", constructor.GetParameters().Select(p =>
            $"{ValueConverter.FriendlyName(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + DescribeDefault(p.DefaultValue) : "")}")) + ")";

    /// <summary>A parameter's name and its [NameAlias] names.</summary>
    private static IEnumerable<string> ParameterNames(ParameterInfo parameter) =>
        new[] { parameter.Name ?? "" }.Concat(parameter.GetCustomAttributes<NameAliasAttribute>().Select(a => a.Name));

    private static string DescribeDefault(object? value) => value switch
    {
        null => "null",
        string text => $"\"{text}\"",
        bool flag => flag ? "true" : "false",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    private List<Variable> CreationOrder(List<Variable> toCreate)
    {
        var order = new List<Variable>();
        var state = new Dictionary<Variable, int>();
        void Visit(Variable variable, Stack<Variable> path)
        {
            if (state.TryGetValue(variable, out var s))
            {
                if (s == 1)
                {
                    var cycle = path.Reverse().SkipWhile(v => v != variable).Select(v => v.Name).Append(variable.Name);
                    throw new PlatformDescriptionException(ParsingErrorCode.CreationOrderCycle,
                        $"Creation order cycle: {string.Join(" -> ", cycle)}.", variable.Position);
                }
                return;
            }
            state[variable] = 1;
            path.Push(variable);
            foreach (var dependency in Dependencies(variable))
            {
                if (dependency.IsCreated)
                {
                    Visit(dependency, path);
                }
            }
            path.Pop();
            state[variable] = 2;
            order.Add(variable);
        }
        foreach (var variable in toCreate)
        {
            Visit(variable, new Stack<Variable>());
        }
        return order;
    }

    private IEnumerable<Variable> Dependencies(Variable variable)
    {
        IEnumerable<Value> values = variable.ConstructorAttributes.Values.Concat(variable.Properties.Values)
            .Where(a => a.Value != null).Select(a => a.Value!);
        foreach (var reference in values.SelectMany(References))
        {
            var target = Lookup(reference.Position.File, reference.Name);
            if (target != null)
            {
                yield return target;
            }
        }
    }

    private static IEnumerable<ReferenceValue> References(Value value) => value switch
    {
        ReferenceValue reference => new[] { reference },
        ListValue list => list.Items.Where(i => i != null).SelectMany(i => References(i!)),
        _ => Array.Empty<ReferenceValue>(),
    };

    private void Create(Variable variable)
    {
        var constructor = variable.Constructor!;
        var parameters = constructor.GetParameters();
        var arguments = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            if (parameter.ParameterType == typeof(Machine))
            {
                arguments[i] = machine;
            }
            else if (MachineViews.IsView(parameter.ParameterType))
            {
                arguments[i] = MachineViews.Get(machine, parameter.ParameterType);
            }
            else if (ParameterNames(parameter).FirstOrDefault(variable.ConstructorAttributes.ContainsKey) is { } given
                && variable.ConstructorAttributes.TryGetValue(given, out var attribute))
            {
                if (!ValueConverter.TryConvert(attribute.Value, attribute.IsEmpty, parameter.ParameterType, ResolveReference, out arguments[i], out var error))
                {
                    throw error!;
                }
            }
            else
            {
                arguments[i] = parameter.DefaultValue is DBNull or Missing ? null : parameter.DefaultValue;
            }
        }
        try
        {
            variable.Instance = constructor.Invoke(arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            throw new PlatformDescriptionException(ParsingErrorCode.ConstructionException,
                $"Exception was thrown during construction of '{variable.Name}': {e.InnerException.Message}", variable.CreatingEntry!.TypePosition);
        }
    }

    private void SetProperties(Variable variable)
    {
        foreach (var attribute in variable.Properties.Values)
        {
            var property = variable.Type!.GetProperty(attribute.Name, BindingFlags.Public | BindingFlags.Instance)!;
            if (!ValueConverter.TryConvert(attribute.Value, attribute.IsEmpty, property.PropertyType, ResolveReference, out var value, out var error))
            {
                throw error!;
            }
            try
            {
                property.SetValue(variable.Instance, value);
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                throw new PlatformDescriptionException(ParsingErrorCode.PropertySettingException,
                    $"Exception was thrown while setting '{attribute.Name}' of '{variable.Name}': {e.InnerException.Message}", attribute.Position);
            }
        }
    }

    private void ValidateIrqSourcesAfterCreation(Variable variable)
    {
        foreach (var (key, plan) in variable.Irqs)
        {
            if (key.StartsWith('#'))
            {
                var number = int.Parse(key[1..], System.Globalization.CultureInfo.InvariantCulture);
                if (!((INumberedGPIOOutput)variable.Instance!).Connections.ContainsKey(number))
                {
                    var position = plan?.Source.Position ?? variable.Position;
                    throw new PlatformDescriptionException(ParsingErrorCode.IrqSourcePinDoesNotExist,
                        $"'{variable.Name}' has no interrupt output {number}.", position);
                }
            }
            else if (variable.Type!.GetProperty(key)!.GetValue(variable.Instance) == null)
            {
                throw new PlatformDescriptionException(ParsingErrorCode.UninitializedSourceIrqObject,
                    $"Interrupt output '{key}' of '{variable.Name}' is not initialized.", plan?.Source.Position ?? variable.Position);
            }
        }
    }

    private sealed record BusPlanItem(Variable Variable, IBusPeripheral Peripheral, ulong Address, ulong Size, SourcePosition Position);

    private List<BusPlanItem> PlanBusRegistrations()
    {
        var plan = new List<BusPlanItem>();
        foreach (var variable in declarationOrder.Where(v => v.IsRegistered))
        {
            foreach (var point in variable.Registration!.Points)
            {
                ulong address;
                ulong size;
                switch (NormalizePoint(point.Point))
                {
                    case NumberValue number:
                        address = (ulong)number.Integer!.Value;
                        var known = ((IKnownSize)variable.Instance!).Size;
                        if (known <= 0)
                        {
                            throw new PlatformDescriptionException(ParsingErrorCode.RegistrationException,
                                $"'{variable.Name}' reports size {known}; it cannot be registered.", point.Position);
                        }
                        size = (ulong)known;
                        break;
                    case RangeValue range:
                        address = range.Start;
                        size = range.Size;
                        break;
                    default:
                        continue;
                }
                var item = new BusPlanItem(variable, (IBusPeripheral)variable.Instance!, address, size, point.Point!.Position);
                foreach (var existing in machine.SystemBus.Registrations)
                {
                    if (address < existing.End && existing.Start < address + size)
                    {
                        throw Overlap(item, existing.Name, existing.Start, existing.End);
                    }
                }
                foreach (var other in plan)
                {
                    if (address < other.Address + other.Size && other.Address < address + size)
                    {
                        throw Overlap(item, other.Variable.FinalName, other.Address, other.Address + other.Size);
                    }
                }
                plan.Add(item);
            }
        }
        return plan;
    }

    private static PlatformDescriptionException Overlap(BusPlanItem item, string otherName, ulong otherStart, ulong otherEnd) =>
        new(ParsingErrorCode.RegistrationException,
            $"'{item.Variable.FinalName}' at 0x{item.Address:X}..0x{item.Address + item.Size - 1:X} overlaps '{otherName}' at 0x{otherStart:X}..0x{otherEnd - 1:X}.",
            item.Position);

    private void Commit(List<BusPlanItem> busPlan)
    {
        var done = new List<BusPlanItem>();
        try
        {
            foreach (var item in busPlan)
            {
                machine.SystemBus.Register(item.Peripheral, item.Address, item.Size, item.Variable.FinalName);
                done.Add(item);
            }
        }
        catch (EmulationException e)
        {
            foreach (var item in done)
            {
                machine.SystemBus.Unregister(item.Peripheral);
            }
            throw new PlatformDescriptionException(ParsingErrorCode.RegistrationException, e.Message, busPlan[done.Count].Position);
        }
        foreach (var variable in declarationOrder.Where(v => v.IsRegistered))
        {
            machine.Register(variable.FinalName, (IPeripheral)variable.Instance!);
        }
        foreach (var variable in declarationOrder.Where(v => v.Existing != null))
        {
            SetProperties(variable);
        }
        WireInterrupts();
    }

    private void WireInterrupts()
    {
        // The lines driving each destination pin, pins in the order first met. Keys and lists are classes, so no
        // generic code over a struct is JIT-compiled when the first board loads.
        var drivenPins = new List<ReceiverPin>();
        var driversOf = new Dictionary<ReceiverPin, List<GPIO>>(new ReceiverPinComparer());
        foreach (var variable in declarationOrder)
        {
            foreach (var (key, plan) in variable.Irqs)
            {
                var line = key.StartsWith('#')
                    ? ((INumberedGPIOOutput)variable.Instance!).Connections[int.Parse(key[1..], System.Globalization.CultureInfo.InvariantCulture)]
                    : (GPIO)variable.Type!.GetProperty(key)!.GetValue(variable.Instance)!;
                if (variable.Existing != null)
                {
                    // Re-specifying a source of an object from an earlier load replaces its connections.
                    line.Disconnect();
                }
                if (plan == null)
                {
                    continue;
                }
                foreach (var (destination, pin) in plan.Targets)
                {
                    var receiver = (IGPIOReceiver)Lookup(destination.Position.File, destination.Target)!.Instance!;
                    var target = new ReceiverPin(receiver, pin);
                    if (!driversOf.TryGetValue(target, out var lines))
                    {
                        driversOf.Add(target, lines = new List<GPIO>());
                        drivenPins.Add(target);
                    }
                    lines.Add(line);
                }
            }
        }
        // Two or more sources on one destination pin meet in an OR gate, as Renode does automatically;
        // that includes lines an earlier load connected to the same pin.
        var earlier = ExistingDrivers();
        foreach (var target in drivenPins)
        {
            var receiver = (IGPIOReceiver)target.Receiver;
            var pin = target.Pin;
            var drivers = driversOf[target];
            if (earlier.TryGetValue(target, out var existing))
            {
                foreach (var line in existing)
                {
                    if (!drivers.Contains(line))
                    {
                        Detach(line, receiver, pin);
                        drivers.Add(line);
                    }
                }
            }
            if (drivers.Count == 1)
            {
                drivers[0].Connect(receiver, pin);
                continue;
            }
            var combiner = new GpioCombiner(drivers.Count);
            for (var i = 0; i < drivers.Count; i++)
            {
                drivers[i].Connect(combiner, i);
            }
            combiner.Output.Connect(receiver, pin);
        }
    }

    /// <summary>Every line already in the machine (peripheral GPIO properties, numbered outputs, OR gates), by the pin it drives.</summary>
    private Dictionary<ReceiverPin, List<GPIO>> ExistingDrivers()
    {
        var lines = new List<GPIO>();
        foreach (var (_, peripheral) in machine.Peripherals)
        {
            foreach (var property in GpioProperties(peripheral.GetType()))
            {
                if (property.GetIndexParameters().Length == 0 && property.GetValue(peripheral) is GPIO line)
                {
                    lines.Add(line);
                }
            }
            if (peripheral is INumberedGPIOOutput numbered)
            {
                lines.AddRange(numbered.Connections.Values);
            }
        }
        var drivers = new Dictionary<ReceiverPin, List<GPIO>>(new ReceiverPinComparer());
        var seen = new HashSet<GPIO>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (!seen.Add(line))
            {
                continue;
            }
            foreach (var endpoint in line.Endpoints)
            {
                if (endpoint.Receiver is GpioCombiner combiner)
                {
                    // Follow the gate: its output is the line that really drives the pin.
                    lines.Add(combiner.Output);
                    continue;
                }
                var key = new ReceiverPin(endpoint.Receiver, endpoint.Number);
                if (!drivers.TryGetValue(key, out var list))
                {
                    drivers[key] = list = new List<GPIO>();
                }
                list.Add(line);
            }
        }
        return drivers;
    }

    /// <summary>Disconnects one endpoint of a line, keeping its other connections.</summary>
    private static void Detach(GPIO line, IGPIOReceiver receiver, int pin)
    {
        var keep = line.Endpoints.Where(e => !(ReferenceEquals(e.Receiver, receiver) && e.Number == pin)).ToList();
        line.Disconnect();
        foreach (var endpoint in keep)
        {
            line.Connect(endpoint.Receiver, endpoint.Number);
        }
    }

    /// <summary>A local variable's name in the file that declares it (a record class: see ReceiverPin).</summary>
    private sealed record LocalName(SourceFile File, string Name);

    /// <summary>A destination pin: a receiver (compared by reference) and its input number.</summary>
    private sealed record ReceiverPin(object Receiver, int Pin);

    private sealed class ReceiverPinComparer : IEqualityComparer<ReceiverPin>
    {
        public bool Equals(ReceiverPin? x, ReceiverPin? y) =>
            x is not null && y is not null && ReferenceEquals(x.Receiver, y.Receiver) && x.Pin == y.Pin;

        public int GetHashCode(ReceiverPin obj) => HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Receiver), obj.Pin);
    }
}
