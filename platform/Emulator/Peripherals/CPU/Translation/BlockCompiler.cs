using System.Collections.Concurrent;

namespace Emulator.Peripherals.CPU.Translation;

/// <summary>
/// Compiles hot blocks on one background thread shared by every machine of the process, so the emulation thread
/// never waits for Reflection.Emit and the JIT (about a millisecond a block, much more for large ones): it goes on
/// interpreting and picks the finished block up at a later block head (<see cref="TranslationCache.InstallCompleted"/>).
/// What the guest sees does not depend on when, or whether, a block is used.
/// </summary>
internal static class BlockCompiler
{
    // Newest first: the head that became hot last is the code running now, while a backlog of older jobs (the boot
    // code of a kernel, run once) may never run again. First in, first out kept a Linux user-space loop interpreted
    // for seconds behind the boot's blocks.
    private static readonly BlockingCollection<CompileJob> Queue = new(new ConcurrentStack<CompileJob>());
    private static readonly object StartLock = new();
    private static Thread? worker;

    public static void Enqueue(CompileJob job)
    {
        job.Cache.CompileStarted();
        if (worker == null)
        {
            lock (StartLock)
            {
                if (worker == null)
                {
                    var thread = new Thread(Run) { IsBackground = true, Name = "emu block compiler" };
                    thread.Start();
                    worker = thread;
                }
            }
        }
        Queue.Add(job);
    }

    private static void Run()
    {
        foreach (var job in Queue.GetConsumingEnumerable())
        {
            try
            {
                var block = BlockTranslator.Build(job.Shared, job.VirtualPage, job.PagedData,
                    job.Instructions, job.StartOffset, job.EndOffset);
                // A call with budget 0 returns at once (see BlockTranslator): it makes the JIT compile the method here
                // rather than at its first real entry on the emulation thread.
                var unused = 0UL;
                block.Code(null!, ref unused, 0);
                job.Block = block;
            }
            catch (Exception)
            {
                // Left null: the head is marked untranslatable when the job is handed back.
            }
            job.Cache.CompileFinished(job);
        }
    }
}
