using System.Globalization;

namespace Emulator.Plots;

/// <summary>The key=value lines scripts/bench produces, indexed for charting.</summary>
public sealed class BenchData
{
    /// <summary>One `KIND name k=v ...` line.</summary>
    public sealed record Line(string Kind, string Name, IReadOnlyDictionary<string, string> Fields)
    {
        public double? Number(string key) =>
            Fields.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

        public string? Text(string key) => Fields.TryGetValue(key, out var text) ? text : null;
    }

    public List<Line> Lines { get; } = new();

    public static BenchData Parse(IEnumerable<string> lines)
    {
        var data = new BenchData();
        foreach (var raw in lines)
        {
            var words = raw.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2 || words[0] is not ("BENCH" or "SPEED" or "RATE" or "MODEL"))
            {
                continue;
            }
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var word in words.Skip(2))
            {
                var eq = word.IndexOf('=');
                if (eq > 0)
                {
                    fields[word[..eq]] = word[(eq + 1)..];
                }
            }
            data.Lines.Add(new Line(words[0], words[1], fields));
        }
        return data;
    }

    /// <summary>Guest benchmark rows of one benchmark and implementation, by hart count.</summary>
    public SortedDictionary<int, Line> Bench(string name, string impl)
    {
        var rows = new SortedDictionary<int, Line>();
        foreach (var line in Lines)
        {
            if (line.Kind == "BENCH" && line.Name == name && line.Text("impl") == impl && line.Number("harts") is { } h && line.Text("skipped") == null)
            {
                rows[(int)h] = line;
            }
        }
        return rows;
    }

    /// <summary>Rows without an implementation (ipiq.roundtrip), by hart count.</summary>
    public SortedDictionary<int, Line> Bench(string name)
    {
        var rows = new SortedDictionary<int, Line>();
        foreach (var line in Lines)
        {
            if (line.Kind == "BENCH" && line.Name == name && line.Number("harts") is { } h && line.Text("skipped") == null)
            {
                rows[(int)h] = line;
            }
        }
        return rows;
    }

    public IEnumerable<Line> OfKind(string kind) => Lines.Where(l => l.Kind == kind);
}
