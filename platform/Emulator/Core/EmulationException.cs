namespace Emulator.Core;

/// <summary>A user-facing error (bad file, bad argument). Hosts print its message; it never means a bug.</summary>
public class EmulationException : Exception
{
    public EmulationException(string message) : base(message)
    {
    }

    public EmulationException(string message, Exception inner) : base(message, inner)
    {
    }
}
