namespace Antmicro.Renode.Core;

/// <summary>Renode's <c>Set()</c>, <c>Unset()</c> and <c>Blink()</c> for any line.</summary>
public static class IGPIOExtensions
{
    public static void Set(this IGPIO gpio) => gpio.Set(true);

    public static void Unset(this IGPIO gpio) => gpio.Set(false);

    public static void Blink(this IGPIO gpio)
    {
        gpio.Set(true);
        gpio.Set(false);
    }
}
