namespace Emulator.PlatformDescription;

/// <summary>
/// Another name a constructor parameter answers to in a .repl (Renode's [NameAlias]), e.g. RiscV64's
/// <c>privilegedArchitecture</c> is also <c>privilegeArchitecture</c>. Giving both names is error E46.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = true)]
public sealed class NameAliasAttribute : System.Attribute
{
    public NameAliasAttribute(string name)
    {
        Name = name;
    }

    public string Name { get; }
}
