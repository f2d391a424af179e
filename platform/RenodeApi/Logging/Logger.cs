using System.Globalization;
using Antmicro.Renode.Core;
using Antmicro.Renode.Peripherals;

namespace Antmicro.Renode.Logging;

/// <summary>
/// Renode's logging extensions (<c>this.Log(LogLevel.Info, "x {0}", v)</c>, <c>this.InfoLog(...)</c>, ...). An
/// entry goes to the log of the machine the element belongs to, under the element's name in that machine, so
/// `Wait For Log Entry  name: text` sees it exactly as a built-in peripheral's entry.
/// </summary>
public static class Logger
{
    public static void Log(this IEmulationElement e, LogLevel type, string message) => LogAs(e, type, message);

    public static void Log(this IEmulationElement e, LogLevel type, string message, params object[] args) => LogAs(e, type, message, args);

    public static void NoisyLog(this IEmulationElement e, string message, params object[] args) => LogAs(e, LogLevel.Noisy, message, args);

    public static void DebugLog(this IEmulationElement e, string message, params object[] args) => LogAs(e, LogLevel.Debug, message, args);

    public static void InfoLog(this IEmulationElement e, string message, params object[] args) => LogAs(e, LogLevel.Info, message, args);

    public static void WarningLog(this IEmulationElement e, string message, params object[] args) => LogAs(e, LogLevel.Warning, message, args);

    public static void ErrorLog(this IEmulationElement e, string message, params object[] args) => LogAs(e, LogLevel.Error, message, args);

    /// <summary>Renode's wording for a read no register handles.</summary>
    public static void LogUnhandledRead(this IPeripheral peripheral, long offset) =>
        LogAs(peripheral, LogLevel.Warning, "Unhandled read from offset 0x{0:X}.", offset);

    /// <summary>Renode's wording for a write no register handles.</summary>
    public static void LogUnhandledWrite(this IPeripheral peripheral, long offset, ulong value) =>
        LogAs(peripheral, LogLevel.Warning, "Unhandled write to offset 0x{0:X}, value 0x{1:X}.", offset, value);

    public static void LogAs(object o, LogLevel type, string message, params object[]? args)
    {
        var machine = Antmicro.Renode.Core.Machine.Owning(o);
        if (machine == null)
        {
            return;
        }
        var engine = machine.Engine;
        var source = o is IPeripheral peripheral ? engine.GetName(peripheral) : "";
        if (!engine.Log.IsEnabled(type.EngineLevel, source))
        {
            return;
        }
        var text = args == null || args.Length == 0 ? message : string.Format(CultureInfo.InvariantCulture, message, args);
        engine.Log.Log(type.EngineLevel, source, text);
    }
}
