namespace Emulator.Peripherals.CPU.Translation;

/// <summary>
/// Translated blocks of main RAM, per physical page, shared by all harts like the decoded-instruction cache:
/// a block depends only on the bytes it was translated from, and takes the hart as an argument.
/// A block never crosses its page, so dropping a page's blocks when its code changes is enough.
/// </summary>
internal sealed class TranslationCache
{
    public TranslationCache(int pages)
    {
        Pages = new PageTranslations?[pages];
    }

    public PageTranslations?[] Pages { get; }

    /// <summary>Blocks translated so far (tests and statistics).</summary>
    public int BlocksTranslated { get; set; }

    /// <summary>Blocks dropped because the code under them changed.</summary>
    public int BlocksDropped { get; set; }

    /// <summary>Changes whenever a block is dropped, so code that calls out of a block can tell its block may be stale.</summary>
    public int Generation { get; private set; }

    // Background compilation (BlockCompiler): jobs handed back by the compiler thread, waiting for the emulation
    // thread to install them, and the number not handed back yet.
    private readonly System.Collections.Concurrent.ConcurrentQueue<CompileJob> completed = new();
    private volatile int completedCount;
    private int inFlight;
    private readonly object idle = new();

    /// <summary>True when compiled blocks wait to be installed (one volatile read: checked at every block look-up).</summary>
    public bool HasCompleted => completedCount != 0;

    public void CompileStarted() => Interlocked.Increment(ref inFlight);

    /// <summary>Called on the compiler thread when a job is done.</summary>
    public void CompileFinished(CompileJob job)
    {
        completed.Enqueue(job);
        Interlocked.Increment(ref completedCount);
        lock (idle)
        {
            Interlocked.Decrement(ref inFlight);
            System.Threading.Monitor.PulseAll(idle);
        }
    }

    /// <summary>Takes one finished job, or returns false.</summary>
    public bool TryTakeCompleted(out CompileJob job)
    {
        if (completed.TryDequeue(out job!))
        {
            Interlocked.Decrement(ref completedCount);
            return true;
        }
        return false;
    }

    /// <summary>Waits until every queued compilation is done (tests: makes the moment blocks appear deterministic).</summary>
    public void WaitForCompiler()
    {
        lock (idle)
        {
            while (Volatile.Read(ref inFlight) != 0)
            {
                System.Threading.Monitor.Wait(idle);
            }
        }
    }

    public PageTranslations GetOrCreate(int page) => Pages[page] ??= new PageTranslations();

    public void DropPage(int page)
    {
        var p = Pages[page];
        if (p != null)
        {
            BlocksDropped += p.Live.Count;
            Pages[page] = null;
            Generation++;
        }
    }

    /// <summary>Drops the blocks that contain any of the bytes [offset, offset + size) and forgets "untranslatable" marks there.</summary>
    public void DropRange(int page, int offset, int size)
    {
        var p = Pages[page];
        if (p == null)
        {
            return;
        }
        var end = offset + size;
        if (p.Live.Count > 0)
        {
            for (var i = p.Live.Count - 1; i >= 0; i--)
            {
                var b = p.Live[i];
                if (b.StartOffset < end && offset < b.EndOffset)
                {
                    p.Blocks[b.StartOffset >> 1] = null;
                    p.Live.RemoveAt(i);
                    BlocksDropped++;
                    Generation++;
                }
            }
        }
        // A mark was made for the instruction starting in a slot; a 4-byte one starting 2 bytes earlier reaches in.
        var first = Math.Max(0, (offset - 2) >> 1);
        var last = Math.Min(HartSharedState.SlotsPerPage - 1, (end - 1) >> 1);
        for (var i = first; i <= last; i++)
        {
            if (p.Hits[i] == PageTranslations.Untranslatable)
            {
                p.Hits[i] = 0;
            }
        }
    }
}
