System.Console.WriteLine(Humanizer.StringHumanizeExtensions.Humanize("CentralVersionsImported"));
