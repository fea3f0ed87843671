System.Console.WriteLine(Humanizer.StringHumanizeExtensions.Humanize("CapitalisedConfigRead"));
