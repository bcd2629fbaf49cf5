using Microsoft.AspNetCore.Connections;

namespace PainService.Api.Errors;

/// <summary>
/// Tells a client that went away mid-request (closed or reset its connection while uploading) from a fault of the
/// request itself or of the service. A client abort is answered with nothing (there is nobody to answer) and is not
/// an error of the service; it is logged at Debug and counted as 499 client_closed in the request log.
/// </summary>
public static class ClientAbort
{
    public static bool Is(HttpContext context, Exception exception) => exception switch
    {
        ConnectionResetException => true, // the peer reset the connection (Kestrel)
        // Kestrel cancels RequestAborted when the connection is gone; whatever read or wait was interrupted by that
        // (a cancelled wait, "Unexpected end of request content", a transport IOException) is the same abort.
        OperationCanceledException or IOException => context.RequestAborted.IsCancellationRequested,
        _ => false,
    };
}
