namespace Text;

public static class Shout
{
#if NET10_0
    public const string Framework = "net10.0";
#else
    public const string Framework = "net8.0";
#endif
}
