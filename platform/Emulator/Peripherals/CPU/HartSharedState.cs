using Emulator.Bus;
using Emulator.Peripherals.CPU.Translation;

namespace Emulator.Peripherals.CPU;

/// <summary>
/// What all harts of one machine share: the decoded-instruction cache of main RAM (decoding is a pure
/// function of the bytes, so one copy serves every hart), per-page flags that tell a store whether it must
/// look further (decoded code to drop, an HTIF `tohost` to watch), and the LR/SC reservations.
/// </summary>
internal sealed unsafe class HartSharedState
{
    public const int PageShift = 12;
    public const int SlotsPerPage = 1 << (PageShift - 1);

    public const byte PageHasCode = 1;
    public const byte PageHasWatch = 2;

    private readonly List<RiscV64> harts;

    public HartSharedState(SystemBus bus, List<RiscV64> harts)
    {
        this.harts = harts;
        Bus = bus;
        RamBase = bus.RamBase;
        RamSize = bus.RamSize;
        Ram = bus.RamPointer;
        var pages = (int)((RamSize + (1UL << PageShift) - 1) >> PageShift);
        CodePages = new DecodedInstruction[]?[pages];
        PageFlags = new byte[pages];
        Translations = new TranslationCache(pages);
        bus.RamWritten += (address, size) => InvalidateRange(address, size);
    }

    public SystemBus Bus { get; }

    public ulong RamBase { get; }

    public ulong RamSize { get; }

    public byte* Ram { get; }

    public DecodedInstruction[]?[] CodePages { get; }

    public byte[] PageFlags { get; }

    /// <summary>Translated blocks of main RAM; dropped together with the decoded slots they were made from.</summary>
    public TranslationCache Translations { get; }

    /// <summary>Number of harts holding a reservation; stores skip the reservation scan when zero.</summary>
    public int ActiveReservations;

    private CoherenceModel? coherence;

    /// <summary>The cache-line model of main RAM, made when the machine first turns it on and kept after.</summary>
    public CoherenceModel GetCoherenceModel() => coherence ??= new CoherenceModel(RamBase, RamSize);

    /// <summary>Physical address of the HTIF `tohost` doubleword, or ulong.MaxValue.</summary>
    public ulong ToHostAddress = ulong.MaxValue;

    public bool Matches(SystemBus bus) => bus.RamPointer == Ram && bus.RamSize == RamSize && bus.RamBase == RamBase;

    public DecodedInstruction[] GetOrCreatePage(int page)
    {
        var slots = CodePages[page];
        if (slots == null)
        {
            slots = new DecodedInstruction[SlotsPerPage];
            CodePages[page] = slots;
            PageFlags[page] |= PageHasCode;
        }
        return slots;
    }

    public void InvalidatePage(int page)
    {
        CodePages[page] = null;
        PageFlags[page] &= unchecked((byte)~PageHasCode);
        Translations.DropPage(page);
        foreach (var h in harts)
        {
            h.ForgetFetchPage(page);
        }
    }

    /// <summary>
    /// Drops the decoded slots a store of <paramref name="size"/> bytes at page offset <paramref name="offset"/>
    /// can affect: the slots that start in the stored bytes and the one before, which may hold a 4-byte
    /// instruction reaching into them. Data stores next to code cost only this, not a whole-page re-decode.
    /// </summary>
    public void InvalidateSlots(int page, int offset, int size)
    {
        Translations.DropRange(page, offset, size);
        var slots = CodePages[page];
        if (slots == null)
        {
            return;
        }
        var first = Math.Max(0, (offset - 2) >> 1);
        var last = Math.Min(SlotsPerPage - 1, (offset + size - 1) >> 1);
        for (var i = first; i <= last; i++)
        {
            slots[i].Op = Opcode.Undecoded;
        }
    }

    public void InvalidateRange(ulong address, ulong size)
    {
        if (size == 0 || address - RamBase >= RamSize)
        {
            return;
        }
        var first = (int)((address - RamBase) >> PageShift);
        var last = (int)(Math.Min(address + size - 1 - RamBase, RamSize - 1) >> PageShift);
        for (var p = first; p <= last; p++)
        {
            if (CodePages[p] != null)
            {
                InvalidatePage(p);
            }
        }
    }

    public void SetWatch(ulong address)
    {
        ToHostAddress = address;
        if (address - RamBase < RamSize)
        {
            PageFlags[(int)((address - RamBase) >> PageShift)] |= PageHasWatch;
        }
    }

    /// <summary>A store by <paramref name="writer"/> to <paramref name="address"/> breaks other harts' reservations on that granule.</summary>
    public void BreakReservations(RiscV64 writer, ulong address)
    {
        var granule = address & ~7UL;
        foreach (var h in harts)
        {
            if (!ReferenceEquals(h, writer) && h.HasReservation && h.ReservationAddress == granule)
            {
                h.ClearReservation();
            }
        }
    }
}
