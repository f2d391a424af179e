using Emulator.Core;
using Emulator.PlatformDescription;
using NUnit.Framework;

namespace Emulator.Tests.PlatformDescription;

/// <summary>
/// Mangled descriptions (seeded, reproducible) must end in a load or an <see cref="EmulationException"/>:
/// never another exception, which a user would see as a crash.
/// </summary>
public class FuzzTests
{
    private static readonly string Seed = File.ReadAllText(RepositoryPaths.File("platform/boards/board-2.repl"))
        .Replace("size: 0x8000000", "size: 0x1000")
        + "\nw: Test.Widget @ sysbus <0x3000, +0x100>\n    values: [1, 2]\n    mode: .Fast\n    Names: [\"a\"]\n    init:\n        Foo \"x\"\n    [0-3] -> plic@[1-4]\n";

    private const string Alphabet = " \n\t:;{}[]<>@#|,.-+\"'/*0123456789xabcdefIRQ_";

    [Test]
    public void MangledInputsOnlyFailWithEmulationExceptions([Values(1, 2, 3, 4)] int seed)
    {
        var random = new Random(seed);
        var failures = 0;
        for (var i = 0; i < 300; i++)
        {
            var text = Mutate(Seed, random, 1 + random.Next(4));
            try
            {
                PlatformLoader.LoadFromString(new Machine(), text);
            }
            catch (EmulationException)
            {
                failures++;
            }
            catch (Exception e)
            {
                Assert.Fail($"{e.GetType().Name}: {e.Message}\n--- input ---\n{text}");
            }
        }
        Assert.That(failures, Is.GreaterThan(0), "the mutations should break something");
    }

    private static string Mutate(string text, Random random, int count)
    {
        var chars = new List<char>(text);
        for (var i = 0; i < count; i++)
        {
            var position = random.Next(chars.Count);
            switch (random.Next(4))
            {
                case 0:
                    chars.RemoveAt(position);
                    break;
                case 1:
                    chars.Insert(position, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                case 2:
                    chars[position] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                default:
                    var length = Math.Min(random.Next(1, 40), chars.Count - position);
                    chars.InsertRange(random.Next(chars.Count), chars.GetRange(position, length));
                    break;
            }
        }
        return new string(chars.ToArray());
    }
}
