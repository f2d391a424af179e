namespace Emulator.Core;

/// <summary>Marker for interrupt controllers, as in Renode.</summary>
public interface IIRQController : IGPIOReceiver
{
}
