System.Console.WriteLine(Text.Shout.Framework);
