namespace Emulator.Monitor;

/// <summary>Compiles a peripheral's C# source at run time (`include @file.cs`) and makes its types usable in .repl files.</summary>
public interface IPeripheralSourceCompiler
{
    /// <summary>Compiles and registers the file; a compile error is an EmulationException naming file:line:col.</summary>
    void Include(string path);
}
