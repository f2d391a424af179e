namespace Emulator.Peripherals.CPU;

public sealed partial class RiscV64
{
    // The machine's coherence model while it is on (Machine.CoherenceModelEnabled), else null. Non-null
    // turns off the direct RAM path and translated blocks, so the model costs nothing while it is off.
    private CoherenceModel? coherence;
    private int coherenceIndex;

    /// <summary>Picks the model up or drops it at the start of each run of this hart, as the machine says.</summary>
    private void AttachCoherenceModel()
    {
        CoherenceModel? model = null;
        if (machine!.CoherenceModelEnabled)
        {
            coherenceIndex = IndexAmongHarts();
            model = coherenceIndex < CoherenceModel.MaxHarts ? shared!.GetCoherenceModel() : null;
        }
        if (!ReferenceEquals(model, coherence))
        {
            coherence = model;
            UpdateTranslationState();
        }
    }

    private int IndexAmongHarts()
    {
        var harts = machine!.Harts;
        for (var i = 0; i < harts.Count; i++)
        {
            if (ReferenceEquals(harts[i], this))
            {
                return i;
            }
        }
        return int.MaxValue;
    }

    /// <summary>Event 17: transfers caused by every hart of the machine, so one hart can see what an exchange costs both sides.</summary>
    private ulong MachineLineTransfers()
    {
        ulong total = 0;
        foreach (var h in machine!.Harts)
        {
            total += h.Statistics.LineTransfers;
        }
        return total;
    }
}
