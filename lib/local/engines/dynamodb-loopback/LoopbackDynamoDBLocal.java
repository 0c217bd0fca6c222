/*
 * Starts DynamoDB Local bound to one address (the tollgate.bindHost system property) instead of
 * every interface.
 *
 * Why: DynamoDB Local has no host option. Its DynamoDBProxyServer builds a Jetty
 * `new Server(port)`, whose connector listens on the wildcard address, and neither Jetty nor the
 * jar reads a system property for the bind host. Anyone on the network could then read and write
 * the gateway's table without credentials. So this launcher builds the server through the jar's
 * public embedding API (ServerRunner.createServerFromCommandLineArgs, the same arguments as the
 * jar takes), sets the host on its Jetty connector before it starts, then runs it like the jar's
 * main does. Run in Java's source-file mode (JDK 11+): java -cp DynamoDBLocal.jar THIS_FILE ARGS.
 */
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class LoopbackDynamoDBLocal {
  public static void main(String[] args) throws Exception {
    String host = System.getProperty("tollgate.bindHost");
    if (host == null || host.isEmpty()) throw new IllegalArgumentException("set -Dtollgate.bindHost to the address to listen on");
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    // The Jetty server is a private field with no getter; this is the only way to reach its connector.
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    Connector[] connectors = jetty.getConnectors();
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local built a server without a connector");
    for (Connector c : connectors) ((ServerConnector) c).setHost(host);
    proxy.start();
    proxy.join();
  }
}
