import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;

/**
 * Plain SQL against the benchmark's database, for bench/run.sh (seeding and counting), so the
 * harness needs no psql and works the same against an external SPRING_DATASOURCE_URL.
 *
 * <pre>
 * java -cp postgresql.jar bench/Sql.java --file seed.sql      runs the file (several statements)
 * java -cp postgresql.jar bench/Sql.java "SELECT ..."         prints the rows, tab-separated
 * </pre>
 *
 * Connection: BENCH_JDBC_URL, BENCH_DB_USER, BENCH_DB_PASSWORD.
 */
public class Sql {
    public static void main(String[] args) throws Exception {
        String url = System.getenv("BENCH_JDBC_URL");
        String user = System.getenv().getOrDefault("BENCH_DB_USER", "");
        String password = System.getenv().getOrDefault("BENCH_DB_PASSWORD", "");
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            for (int i = 0; i < args.length; i++) {
                String sql = args[i].equals("--file") ? Files.readString(Path.of(args[++i])) : args[i];
                boolean rows = statement.execute(sql);
                while (true) {
                    if (rows) {
                        try (ResultSet result = statement.getResultSet()) {
                            ResultSetMetaData meta = result.getMetaData();
                            StringBuilder out = new StringBuilder();
                            while (result.next()) {
                                for (int c = 1; c <= meta.getColumnCount(); c++) {
                                    out.append(c > 1 ? "\t" : "").append(result.getString(c));
                                }
                                out.append('\n');
                            }
                            System.out.print(out);
                        }
                    } else if (statement.getUpdateCount() == -1) {
                        break;
                    }
                    rows = statement.getMoreResults();
                }
            }
        }
    }
}
