package pairing.neo4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Neo4j Community (the server's kernel and Cypher engine) with its Bolt connector on 127.0.0.1 and auth on.
 *
 * <p>Arguments: the data folder, the Bolt port and the password of the {@code neo4j} user. It prints
 * {@code ready bolt://127.0.0.1:PORT} once it answers, and shuts the databases down cleanly on SIGTERM.
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 3) {
      System.err.println("usage: Launcher DATA_FOLDER BOLT_PORT PASSWORD");
      System.exit(2);
    }
    Path home = Path.of(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    // The password is set when the DBMS is made (no system database yet: a new folder, or one that only
    // neo4j-admin's import has written); Neo4j refuses to set the same one again on a restart.
    boolean fresh = !Files.exists(home.resolve("data/databases/system"));
    DatabaseManagementService dbms =
        new DatabaseManagementServiceBuilder(home)
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
            .setConfig(HttpConnector.enabled, false)
            .setConfig(GraphDatabaseSettings.auth_enabled, true)
            .build();
    Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown));
    if (fresh) {
      try {
        // The password is a parameter, never part of the statement's text.
        dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME)
            .executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", args[2]));
      } catch (RuntimeException e) {
        // Exit rather than run on without the password set: start.sh sees the process end and says why.
        System.err.println("could not set the password: " + e.getMessage());
        System.exit(1);
      }
    }
    System.out.println("ready bolt://127.0.0.1:" + port);
    System.out.flush();
    Thread.currentThread().join();
  }
}
