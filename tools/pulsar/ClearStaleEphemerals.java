// Removes ephemeral entries left in Pulsar standalone's RocksDB metadata store by a process that
// did not shut down cleanly (SIGKILL, crash, OOM kill).
//
// Why: Pulsar 4.0's RocksdbMetadataStore drops such entries lazily, on first read, and emits a
// "deleted" notification while doing so. For the bookie registration lock
// (/ledgers/available/<host>:<port>) that late notification invalidates the lock the new bookie
// has just taken, which re-registers, which emits another one: a livelock at 100% CPU that logs
// thousands of lines a second and never stops. Deleting stale ephemeral entries before start
// (no store open, so no notifications) avoids it. Every ephemeral entry is stale at that moment:
// ephemeral entries belong to the process that wrote them, and that process is gone.
//
// Run with the Pulsar classpath, before starting the standalone, while no Pulsar uses the dir:
//   java -cp '<lib>/*' tools/pulsar/ClearStaleEphemerals.java <metadata-dir>
// Exit 0: done (or nothing to do). Exit 2: the directory is in use (a Pulsar is running on it).
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

public class ClearStaleEphemerals {
    // Layout of a value written by RocksdbMetadataStore (format version 1): int headerSize,
    // int formatVersion, long version, long owner, long created, long modified, byte ephemeral.
    private static final int EPHEMERAL_OFFSET = 4 + 4 + 8 + 8 + 8 + 8;

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ClearStaleEphemerals <metadata-dir>");
            System.exit(64);
        }
        File dir = new File(args[0]);
        if (!new File(dir, "CURRENT").isFile()) {
            System.out.println("no metadata store at " + dir + ": nothing to clear");
            return;
        }
        RocksDB.loadLibrary();
        try (Options options = new Options().setCreateIfMissing(false);
             RocksDB db = RocksDB.open(options, dir.getPath());
             WriteOptions sync = new WriteOptions().setSync(true)) {
            List<byte[]> stale = new ArrayList<>();
            try (RocksIterator it = db.newIterator()) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    if (isEphemeral(it.key(), it.value())) {
                        stale.add(it.key());
                    }
                }
            }
            for (byte[] key : stale) {
                db.delete(sync, key);
                System.out.println("removed stale ephemeral " + new String(key, StandardCharsets.UTF_8));
            }
            System.out.println("cleared " + stale.size() + " stale ephemeral entries in " + dir);
        } catch (RocksDBException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("lock")) {
                System.err.println("metadata store " + dir + " is in use (is Pulsar running?): " + msg);
                System.exit(2);
            }
            throw e;
        }
    }

    private static boolean isEphemeral(byte[] key, byte[] value) {
        // Metadata paths start with '/'; the store's own counters (__metadata_*) do not.
        if (key.length == 0 || key[0] != '/' || value.length < 8) {
            return false;
        }
        ByteBuffer buf = ByteBuffer.wrap(value);
        int headerSize = buf.getInt();
        int formatVersion = buf.getInt();
        return formatVersion >= 1 && headerSize > EPHEMERAL_OFFSET && value.length >= headerSize
                && value[EPHEMERAL_OFFSET] != 0;
    }
}
