package org.totalrecall.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.totalrecall.ann.HnswRetriever;
import org.totalrecall.ann.IndexFormatException;
import org.totalrecall.cli.http.Server;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code totalrecall serve}: the JSON-over-HTTP service. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves a model over HTTP (JSON): GET /v1/users/{id}/items?k= (u2i), GET /v1/items/{id}/users?k= (i2u),"
          + " POST /v1/items/users {\"items\": [...], \"aggregate\": \"mean\", \"k\": 10} (a group's audience),"
          + " GET /v1/items/{id}/similar?k=, POST /v1/recommend {\"history\": [...], \"k\": 10} (fold-in),"
          + " GET /healthz, GET /metrics (Prometheus) and POST /v1/admin/reload (with the admin token).",
      "Binds to 127.0.0.1 unless --host says otherwise; stops gracefully on SIGTERM or Ctrl-C."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ParentCommand Main main;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "FILE",
      description = "Model file written by 'train'.")
  Path model;

  @Option(
      names = "--index",
      paramLabel = "DIR",
      description = "Answer u2i and i2u through this HNSW index of the model.")
  Path index;

  @Option(
      names = "--ef",
      defaultValue = "" + HnswRetriever.DEFAULT_EF,
      paramLabel = "N",
      description = "Candidates of an index search (default: ${DEFAULT-VALUE}).")
  int ef;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      paramLabel = "HOST",
      description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "8080",
      paramLabel = "PORT",
      description = "Port (default: ${DEFAULT-VALUE}; 0: any free one).")
  int port;

  @Option(
      names = "--admin-token-file",
      paramLabel = "FILE",
      description =
          "File holding the token POST /v1/admin/reload requires (Authorization: Bearer TOKEN); without it,"
              + " reloading is disabled. The environment variable TOTALRECALL_ADMIN_TOKEN works too.")
  Path tokenFile;

  @Option(
      names = "--max-k",
      defaultValue = "1000",
      paramLabel = "K",
      description = "Largest k a request may ask for (default: ${DEFAULT-VALUE}).")
  int maxK;

  @Option(
      names = "--max-body",
      defaultValue = "65536",
      paramLabel = "BYTES",
      description = "Largest request body (default: ${DEFAULT-VALUE}).")
  int maxBody;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Threads of a group query (default: all cores).")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw CliException.usage("--port must be in 0..65535, got " + port);
    }
    if (ef <= 0 || maxK <= 0 || maxBody <= 0) {
      throw CliException.usage("--ef, --max-k and --max-body must be > 0");
    }
    int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (t <= 0) {
      throw CliException.usage("--threads must be > 0, got " + t);
    }
    String token = System.getenv("TOTALRECALL_ADMIN_TOKEN");
    if (tokenFile != null) {
      if (!Files.isRegularFile(tokenFile)) {
        throw CliException.noInput("--admin-token-file " + tokenFile + ": no such file");
      }
      token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    }
    if (token != null && token.length() < 16) {
      throw CliException.usage("the admin token must be at least 16 characters");
    }
    ModelFiles.requireFile(
        model); // a bad model file is refused by the load below (exit 65, naming the section)
    Server server;
    try {
      server = Server.create(model, index, ef, t, host, port, token, maxK, maxBody);
    } catch (IndexFormatException e) {
      throw CliException.data(e.getMessage());
    } catch (java.net.BindException e) {
      throw new CliException(
          ExitCodes.CANT_CREATE, "cannot listen on " + host + ":" + port + ": " + e.getMessage());
    } catch (IOException e) {
      if (index != null && !Files.isDirectory(index)) {
        throw CliException.noInput("--index " + index + ": no such directory");
      }
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.stop(
                      5); // requests in flight finish (up to 5 s); new connections are refused
                  stopped.countDown();
                },
                "totalrecall-serve-shutdown"));
    server.start();
    main.errStream()
        .println(
            "totalrecall: serving "
                + server.describe()
                + " on http://"
                + host
                + ":"
                + server.port()
                + (token == null ? "" : " (reload enabled)"));
    main.errStream().flush();
    stopped.await();
    return ExitCodes.OK;
  }
}
