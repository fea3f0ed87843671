namespace Shared;

public static class Banner
{
    public const string Text = "linked from shared/";
}
