// Writes the Java-made fixtures of decode's corpus (decode/decodetest/corpus/java_*.bin).
// Run from decode/decodetest/gen: java MakeJava.java. The fixtures are committed because CI may
// have no JDK; rerun after changing what they hold.
import java.io.*;
import java.util.*;

public class MakeJava {
    enum Role { ADMIN, DEV }

    static class Base implements Serializable {
        private static final long serialVersionUID = 7L;
        protected String tenant = "contoso";
    }

    static class User extends Base {
        private static final long serialVersionUID = 42L;
        int id = 1815;
        long createdMillis = 1700000000000L;
        String name = "Ada Lovelace";
        boolean active = true;
        double score = 99.5;
        char initial = 'A';
        int[] lucky = {3, 7};
        Role role = Role.ADMIN;
        List<String> tags = new ArrayList<>(List.of("math", "engines"));
        Map<String, Integer> counts = new LinkedHashMap<>();
        User() { counts.put("logins", 12); }
    }

    static void write(String name, Object o) throws IOException {
        try (ObjectOutputStream out = new ObjectOutputStream(new FileOutputStream("../corpus/" + name))) {
            out.writeObject(o);
        }
    }

    public static void main(String[] args) throws IOException {
        write("java_user.bin", new User());
        write("java_string.bin", "hello, world");
        write("java_list.bin", new ArrayList<>(List.of(1, 2, 3)));
    }
}
