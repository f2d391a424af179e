namespace Antmicro.Renode.Logging;

/// <summary>Renode's log levels (a class there too, so <c>LogLevel.Info</c> reads the same), mapped to the engine's.</summary>
public sealed class LogLevel
{
    public static readonly LogLevel Noisy = new(Emulator.Logging.LogLevel.Noisy);
    public static readonly LogLevel Debug = new(Emulator.Logging.LogLevel.Debug);
    public static readonly LogLevel Info = new(Emulator.Logging.LogLevel.Info);
    public static readonly LogLevel Warning = new(Emulator.Logging.LogLevel.Warning);
    public static readonly LogLevel Error = new(Emulator.Logging.LogLevel.Error);

    private LogLevel(Emulator.Logging.LogLevel engineLevel)
    {
        EngineLevel = engineLevel;
    }

    internal Emulator.Logging.LogLevel EngineLevel { get; }

    public int NumericLevel => (int)EngineLevel;

    public override string ToString() => EngineLevel.ToString().ToUpperInvariant();
}
