using System.Globalization;

namespace Emulator.Plots;

/// <summary>
/// The estimated-cycles model of scripts/bench-coherence: 1 per instruction plus a price per atomic, per
/// cache-line transfer and per IPI, read from its `MODEL atomic=.. xfer=.. ipi=..` line.
/// </summary>
public sealed record CostModel(double Atomic, double Transfer, double Ipi)
{
    public static CostModel From(BenchData data)
    {
        var model = data.OfKind("MODEL").LastOrDefault();
        return new CostModel(model?.Number("atomic") ?? 20, model?.Number("xfer") ?? 100, model?.Number("ipi") ?? 1000);
    }

    public double? Cycles(BenchData.Line line)
    {
        if (line.Number("insns_per_op") is not { } insns || line.Number("xfer_per_op") is not { } transfers)
        {
            return null;
        }
        var atomics = (line.Number("amo_per_op") ?? 0) + (line.Number("lr_per_op") ?? 0) + (line.Number("sc_per_op") ?? 0);
        return insns + Atomic * atomics + Transfer * transfers + Ipi * (line.Number("ipi_per_op") ?? 0);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"1/instruction, {Atomic}/atomic, {Transfer}/transfer, {Ipi}/IPI");
}
