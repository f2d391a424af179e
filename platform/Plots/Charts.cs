using ScottPlot;

namespace Emulator.Plots;

/// <summary>The charts of docs/BENCHMARKS.md, each saved as a PNG of a fixed size.</summary>
public static class Charts
{
    private static readonly string[] TokenImpls = { "lwkt", "spintoken", "spinlock" };

    private static readonly Color[] ImplColors = { Colors.FireBrick, Colors.SteelBlue, Colors.DarkOrange };

    // Lines that coincide (spin token and spinlock often do) stay distinguishable by pattern and marker.
    private static readonly LinePattern[] ImplPatterns = { LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted };

    private static readonly MarkerShape[] ImplMarkers = { MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.OpenCircle };

    public static IEnumerable<string> RenderAll(BenchData data, string directory)
    {
        Directory.CreateDirectory(directory);
        var prices = CostModel.From(data);
        foreach (var (workload, title) in new[]
        {
            ("token.local", "token.local: the owner acquires its own token"),
            ("token.foreign", "token.foreign: each acquisition from another hart"),
            ("token.mixed90", "token.mixed90: 90% of acquisitions local"),
            ("token.mixed50", "token.mixed50: 50% of acquisitions local"),
        })
        {
            var rows = TokenImpls.Select(i => data.Bench(workload, i)).ToArray();
            if (rows.All(r => r.Count == 0))
            {
                continue;
            }
            var panels = new[]
            {
                Panel("Instructions", "instructions per acquire+release", rows, TokenImpls, l => l.Number("insns_per_op")),
                Panel("Atomics (AMO + LR + SC)", "atomics per acquire+release", rows, TokenImpls,
                    l => l.Number("amo_per_op") + l.Number("lr_per_op") + l.Number("sc_per_op")),
                Panel("Cache-line transfers", "line transfers per acquire+release", rows, TokenImpls, l => l.Number("xfer_per_op")),
                Panel($"Estimated cycles ({prices})", "cycles per acquire+release", rows, TokenImpls, prices.Cycles),
            };
            yield return Save(panels, title, Path.Combine(directory, $"{workload.Replace('.', '-')}.png"));
        }

        var slabImpls = new[] { "slab", "spinlock" };
        var slab = slabImpls.Select(i => data.Bench("slab.parallel", i)).ToArray();
        if (slab.Any(r => r.Count > 0))
        {
            var panels = new[]
            {
                Panel("Instructions", "instructions per kmalloc+kfree", slab, slabImpls, l => l.Number("insns_per_op")),
                Panel("Cache-line transfers (slowest hart)", "line transfers per kmalloc+kfree", slab, slabImpls, l => l.Number("xfer_per_op")),
                Panel($"Estimated cycles ({prices})", "cycles per kmalloc+kfree", slab, slabImpls, prices.Cycles),
            };
            yield return Save(panels, "slab.parallel: all harts allocate at once",
                Path.Combine(directory, "slab-parallel.png"));
        }

        var roundTrip = data.Bench("ipiq.roundtrip");
        var rates = data.OfKind("RATE").ToList();
        if (roundTrip.Count > 0 || rates.Count > 0)
        {
            var trip = Panel("Guest IPI-queue round trip", "instructions per round trip",
                new[] { roundTrip }, new[] { "ipiq.roundtrip" }, l => l.Number("insns_per_op"));
            yield return Save(new[] { trip, RatePanel(rates) }, "IPI round trips", Path.Combine(directory, "ipi.png"));
        }

        var speed = data.OfKind("SPEED").ToList();
        if (speed.Count > 0)
        {
            yield return Save(new[] { SpeedPanel(speed) }, "Emulator speed against QEMU", Path.Combine(directory, "mips.png"));
        }
    }

    /// <summary>Per-operation figures against hart count, one line per implementation; harts on a log2 axis.</summary>
    private static Plot Panel(string title, string yLabel, IReadOnlyList<SortedDictionary<int, BenchData.Line>> rows,
        IReadOnlyList<string> names, Func<BenchData.Line, double?> value)
    {
        var plot = new Plot();
        var hartCounts = new SortedSet<int>();
        for (var i = 0; i < rows.Count; i++)
        {
            var points = rows[i].Select(kv => (Harts: kv.Key, Value: value(kv.Value))).Where(p => p.Value.HasValue).ToList();
            if (points.Count == 0)
            {
                continue;
            }
            foreach (var p in points)
            {
                hartCounts.Add(p.Harts);
            }
            var line = plot.Add.Scatter(points.Select(p => Math.Log2(p.Harts)).ToArray(), points.Select(p => p.Value!.Value).ToArray());
            line.LegendText = names[i];
            line.Color = ImplColors[i % ImplColors.Length];
            line.LinePattern = ImplPatterns[i % ImplPatterns.Length];
            line.MarkerShape = ImplMarkers[i % ImplMarkers.Length];
            line.LineWidth = 2;
            line.MarkerSize = i == 2 ? 12 : 8;
        }
        plot.Title(title, size: 15);
        plot.XLabel("harts");
        plot.YLabel(yLabel);
        plot.Axes.Bottom.SetTicks(hartCounts.Select(h => Math.Log2(h)).ToArray(), hartCounts.Select(h => h.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.Margins(0.08, 0.15);
        // Counts are never negative: keep zero visible so flat lines at zero read as zero, and leave the top
        // third free for the legend.
        plot.Axes.AutoScale();
        var limits = plot.Axes.GetLimits();
        plot.Axes.SetLimitsY(0, Math.Max(limits.Top * 1.35, 1));
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    private static Plot RatePanel(List<BenchData.Line> rates)
    {
        var plot = new Plot();
        var labels = new List<string>();
        var bars = new List<Bar>();
        var series = new[] { ("ours", "this emulator", Colors.FireBrick), ("qemu_single", "QEMU, single-threaded TCG", Colors.SteelBlue), ("qemu_multi", "QEMU, multi-threaded TCG", Colors.DarkOrange) };
        foreach (var rate in rates)
        {
            for (var s = 0; s < series.Length; s++)
            {
                if (rate.Number(series[s].Item1) is { } v)
                {
                    bars.Add(new Bar { Position = s, Value = v / 1e6, FillColor = series[s].Item3 });
                }
            }
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, series.Length).Select(i => (double)i).ToArray(), series.Select(s => s.Item2).ToArray());
        plot.Title("tests/bench/ipi-pingpong.S, 2 harts (host wall time)", size: 15);
        plot.YLabel("million IPI round trips per second");
        plot.Axes.Margins(bottom: 0);
        return plot;
    }

    private static Plot SpeedPanel(List<BenchData.Line> speed)
    {
        var plot = new Plot();
        var series = new[] { ("interpreter_mips", "interpreter", Colors.Gray), ("mips", "translated", Colors.FireBrick), ("qemu_mips", "QEMU TCG (1 hart)", Colors.SteelBlue) };
        var bars = new List<Bar>();
        var ticks = new List<(double, string)>();
        for (var w = 0; w < speed.Count; w++)
        {
            var center = w * (series.Length + 1);
            ticks.Add((center + 1, $"{speed[w].Name}\n{speed[w].Text("harts")} hart(s)"));
            for (var s = 0; s < series.Length; s++)
            {
                if (speed[w].Number(series[s].Item1) is { } v)
                {
                    bars.Add(new Bar { Position = center + s, Value = v, FillColor = series[s].Item3 });
                }
            }
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(ticks.Select(t => t.Item1).ToArray(), ticks.Select(t => t.Item2).ToArray());
        plot.Axes.Bottom.MinimumSize = 50;
        plot.Legend.ManualItems.AddRange(series.Select(s => new LegendItem { LabelText = s.Item2, FillColor = s.Item3 }));
        plot.ShowLegend(Alignment.UpperRight);
        plot.Title("Guest MIPS on the benchmark ELFs of tests/bench (host wall time)", size: 15);
        plot.YLabel("guest MIPS");
        plot.Axes.Margins(bottom: 0);
        return plot;
    }

    private static string Save(Plot[] panels, string title, string path)
    {
        var panelWidth = panels.Length == 1 ? 900 : 620;
        const int panelHeight = 440;
        var columns = panels.Length >= 3 ? 2 : panels.Length;
        var rows = (panels.Length + columns - 1) / columns;
        var multiplot = new Multiplot();
        // A new multiplot may come with an empty plot of its own: keep only ours.
        foreach (var existing in multiplot.GetPlots().ToArray())
        {
            multiplot.RemovePlot(existing);
        }
        foreach (var panel in panels)
        {
            multiplot.AddPlot(panel);
        }
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
        panels[0].Title($"{title}\n{panels[0].Axes.Title.Label.Text}", size: 15);
        multiplot.SavePng(path, panelWidth * columns, panelHeight * rows);
        return path;
    }
}
