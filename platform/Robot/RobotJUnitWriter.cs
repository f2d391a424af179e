using System.Globalization;
using System.Xml.Linq;

namespace Emulator.Robot;

/// <summary>Writes suite results as JUnit XML (one testsuite per suite run, one testcase per test).</summary>
public static class RobotJUnitWriter
{
    public static XDocument Build(IReadOnlyList<RobotSuiteResult> suites)
    {
        var root = new XElement("testsuites",
            new XAttribute("name", "robot"),
            new XAttribute("tests", suites.Sum(s => Math.Max(s.Tests.Count, s.Error != null && s.Tests.Count == 0 ? 1 : 0))),
            new XAttribute("failures", suites.Sum(Failures)),
            new XAttribute("skipped", suites.Sum(s => s.Tests.Count(t => t.Status == RobotTestStatus.Skip))),
            new XAttribute("errors", 0),
            new XAttribute("time", Seconds(TimeSpan.FromTicks(suites.Sum(s => s.Duration.Ticks)))));
        foreach (var suite in suites)
        {
            var name = suite.Seed.HasValue ? $"{suite.Name} [seed {suite.Seed}]" : suite.Name;
            var element = new XElement("testsuite",
                new XAttribute("name", name),
                new XAttribute("file", suite.Path),
                new XAttribute("tests", Math.Max(suite.Tests.Count, suite.Error != null && suite.Tests.Count == 0 ? 1 : 0)),
                new XAttribute("failures", Failures(suite)),
                new XAttribute("skipped", suite.Tests.Count(t => t.Status == RobotTestStatus.Skip)),
                new XAttribute("errors", 0),
                new XAttribute("time", Seconds(suite.Duration)),
                new XAttribute("timestamp", suite.StartTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)));
            if (suite.Error != null && suite.Tests.Count == 0)
            {
                element.Add(new XElement("testcase", new XAttribute("classname", name), new XAttribute("name", "(suite)"), new XAttribute("time", "0"),
                    new XElement("failure", new XAttribute("message", FirstLine(suite.Error)), Clean(suite.Error))));
            }
            foreach (var test in suite.Tests)
            {
                var testCase = new XElement("testcase",
                    new XAttribute("classname", name),
                    new XAttribute("name", test.Name),
                    new XAttribute("file", test.Location.File),
                    new XAttribute("line", test.Location.Line),
                    new XAttribute("time", Seconds(test.Duration)));
                if (test.Status == RobotTestStatus.Fail)
                {
                    var details = test.Message;
                    if (test.UartTail.Count > 0)
                    {
                        details += "\n\nLast UART lines:\n" + string.Join("\n", test.UartTail);
                    }
                    if (test.Seed.HasValue)
                    {
                        details += $"\n\nReplay with: --seed {test.Seed}";
                    }
                    testCase.Add(new XElement("failure", new XAttribute("message", Clean(FirstLine(test.Message))), Clean(details)));
                }
                else if (test.Status == RobotTestStatus.Skip)
                {
                    testCase.Add(new XElement("skipped", new XAttribute("message", Clean(test.Message))));
                }
                if (test.Messages.Count > 0)
                {
                    testCase.Add(new XElement("system-out", Clean(string.Join("\n", test.Messages))));
                }
                element.Add(testCase);
            }
            root.Add(element);
        }
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }

    public static void Write(string path, IReadOnlyList<RobotSuiteResult> suites)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory != null)
        {
            Directory.CreateDirectory(directory);
        }
        var settings = new System.Xml.XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), Indent = true };
        using var writer = System.Xml.XmlWriter.Create(path, settings);
        Build(suites).Save(writer);
    }

    private static int Failures(RobotSuiteResult suite) =>
        suite.Tests.Count(t => t.Status == RobotTestStatus.Fail) + (suite.Error != null && suite.Tests.Count == 0 ? 1 : 0);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);

    private static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n');
        return newline < 0 ? text : text.Substring(0, newline);
    }

    /// <summary>Guest output may contain control characters that XML 1.0 cannot hold.</summary>
    private static string Clean(string text) =>
        new(text.Where(c => c is '\n' or '\t' or '\r' || (c >= 0x20 && c != 0xFFFE && c != 0xFFFF && !char.IsSurrogate(c))).ToArray());
}
