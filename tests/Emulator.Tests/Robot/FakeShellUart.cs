using System.Text;
using Emulator.Core;

namespace Emulator.Tests.Robot;

/// <summary>
/// A UART with a tiny scripted guest behind it, driven by the machine's virtual clock: after
/// <see cref="BootDelayNs"/> it prints a banner and the `lwkt> ` prompt, echoes what it receives, and answers
/// `test all` and `hello` like the real kernel's shell. A 1 ms tick keeps virtual time moving without harts.
/// </summary>
public sealed class FakeShellUart : IUART
{
    private readonly Machine machine;
    private readonly StringBuilder input = new();

    public FakeShellUart(Machine machine)
    {
        this.machine = machine;
        Tick();
        machine.Clock.ScheduleAfter(BootDelayNs, () => Print("LWKT booting\nlwkt> "));
    }

    public const ulong BootDelayNs = 50_000_000;

    public event Action<byte>? CharReceived;

    public List<byte> Received { get; } = new();

    /// <summary>When false the guest does not echo input (to test echo timeouts).</summary>
    public bool Echo { get; set; } = true;

    public void Reset()
    {
    }

    public void WriteChar(byte value)
    {
        // The host queues; the guest sees it on the emulation thread, as a real UART FIFO would deliver it.
        machine.Post(() => Receive(value));
    }

    private void Receive(byte value)
    {
        Received.Add(value);
        if (value == '\r' || value == '\n')
        {
            var command = input.ToString();
            input.Clear();
            Print("\r\n");
            // The answer comes a little later in virtual time, as a real guest would take to run it.
            machine.Clock.ScheduleAfter(2_000_000, () => Answer(command));
            return;
        }
        input.Append((char)value);
        if (Echo)
        {
            Print(((char)value).ToString());
        }
    }

    private void Answer(string command)
    {
        switch (command)
        {
            case "test all":
                Print("TEST token_local: PASS\r\nTEST ipiq_ring: PASS\r\nTESTS: 2 passed, 0 failed\r\nlwkt> ");
                break;
            case "fault":
                // Like the kernel's trap_panic: a panic line, a register dump, then nothing more.
                Print("loading from address 0x8 ...\r\npanic: fatal trap on hart 0: mcause=0x5 mepc=0x80000d48 mtval=0x8\r\n  ra  =0x00000000800002b4\r\n");
                break;
            case "hello":
                Print("\x1b[32mworld\x1b[0m\r\nlwkt> ");
                break;
            default:
                Print($"unknown command: {command}\r\nlwkt> ");
                break;
        }
    }

    public void Print(string text)
    {
        foreach (var c in text)
        {
            CharReceived?.Invoke((byte)c);
        }
    }

    private void Tick() => machine.Clock.ScheduleAfter(1_000_000, Tick);
}
