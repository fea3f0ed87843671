System.Console.WriteLine(Humanizer.StringHumanizeExtensions.Humanize("LockedRestore"));
