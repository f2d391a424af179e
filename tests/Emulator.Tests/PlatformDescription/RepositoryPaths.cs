namespace Emulator.Tests.PlatformDescription;

/// <summary>Finds files of the repository from the test binaries' directory.</summary>
public static class RepositoryPaths
{
    public static string Root
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory != null && !System.IO.File.Exists(Path.Combine(directory.FullName, "Emulator.sln")))
            {
                directory = directory.Parent;
            }
            return directory?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Emulator.sln)");
        }
    }

    public static string File(string relative) => Path.Combine(Root, relative);
}
