namespace Emulator.Logging;

/// <summary>Renode's log levels and numbers (`logLevel -1` is Noisy).</summary>
public enum LogLevel
{
    Noisy = -1,
    Debug = 0,
    Info = 1,
    Warning = 2,
    Error = 3,
}
