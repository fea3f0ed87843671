using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Web.Pages;

public class IndexModel : PageModel
{
    public string Arch { get; } = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
}
