namespace Emulator.Cli.Litmus;

/// <summary>A malformed litmus test: the message starts with `file:line:col:`.</summary>
public sealed class LitmusException : Exception
{
    public LitmusException(string file, int line, int column, string message)
        : base($"{file}:{line}:{column}: error: {message}")
    {
    }
}
