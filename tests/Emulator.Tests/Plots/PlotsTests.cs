using Emulator.Plots;
using NUnit.Framework;

namespace Emulator.Tests.Plots;

/// <summary>platform/Plots renders the benchmark charts (ScottPlot over SkiaSharp's native library) from bench lines.</summary>
[TestFixture]
public class PlotsTests
{
    private const string Input = """
        BENCH token.foreign impl=lwkt harts=2 ops=200 insns_per_op=1231 amo_per_op=1.00 lr_per_op=0.00 sc_per_op=0.00 ipi_per_op=4.01 xfer_per_op=26.50
        BENCH token.foreign impl=lwkt harts=4 ops=200 insns_per_op=1240 amo_per_op=1.00 lr_per_op=0.00 sc_per_op=0.00 ipi_per_op=4.01 xfer_per_op=26.50
        BENCH token.foreign impl=spinlock harts=2 ops=200 insns_per_op=16 amo_per_op=2.00 lr_per_op=0.00 sc_per_op=0.00 ipi_per_op=0.01 xfer_per_op=1.00
        BENCH token.foreign impl=spinlock harts=4 ops=200 insns_per_op=16 amo_per_op=2.00 lr_per_op=0.00 sc_per_op=0.00 ipi_per_op=0.01 xfer_per_op=1.00
        BENCH token.foreign harts=1 skipped=1
        SPEED alu-loop harts=1 interpreter_mips=117.7 mips=1774.1 qemu_mips=2100.4
        RATE ipi ours=1359808 qemu_single=617745 qemu_multi=61714
        MODEL cost atomic=20 xfer=100 ipi=1000
        """;

    [Test]
    public void EstimatedCyclesFollowTheStatedModel()
    {
        var data = BenchData.Parse(Input.Split('\n'));
        var model = CostModel.From(data);
        var row = data.Bench("token.foreign", "lwkt")[2];
        Assert.That(model.Cycles(row), Is.EqualTo(1231 + 20 * 1.0 + 100 * 26.5 + 1000 * 4.01).Within(1e-9));
        Assert.That(data.Bench("token.foreign", "lwkt").Keys, Is.EqualTo(new[] { 2, 4 }), "skipped lines are not points");
    }

    [Test]
    public void ChartsArePngFilesWithTheExpectedNames()
    {
        var dir = Path.Combine(Path.GetTempPath(), "emu-plots-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var files = Charts.RenderAll(BenchData.Parse(Input.Split('\n')), dir).Select(Path.GetFileName).ToList();
            Assert.That(files, Is.EqualTo(new[] { "token-foreign.png", "ipi.png", "mips.png" }), "only charts with data are drawn");
            foreach (var file in files)
            {
                var bytes = File.ReadAllBytes(Path.Combine(dir, file!));
                Assert.That(bytes.Take(8), Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10 }), file);
                Assert.That(bytes.Length, Is.GreaterThan(10_000), $"{file} has content");
            }
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, true);
            }
        }
    }
}
