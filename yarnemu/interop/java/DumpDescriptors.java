// yarnemu's descriptor dump: writes the protobuf descriptors compiled into Hadoop's client jar as
// a FileDescriptorSet, so that yarnemu speaks Hadoop RPC with exactly the messages of that jar
// without any .proto source.  Run by `python -m yarnemu.interop.setup`:
//
//   java -cp hadoop-client-api.jar:hadoop-client-runtime.jar:CLASSES DumpDescriptors OUT CLASS...
//
// Each CLASS is a generated outer class (e.g. org.apache.hadoop.yarn.proto.YarnProtos); its file
// and every file it imports go into OUT, each after its imports, each once.  The file names are
// printed, one a line, in that order.

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.hadoop.thirdparty.protobuf.DescriptorProtos.FileDescriptorSet;
import org.apache.hadoop.thirdparty.protobuf.Descriptors.FileDescriptor;

public final class DumpDescriptors {
    private DumpDescriptors() {
    }

    private static void collect(FileDescriptor file, Map<String, FileDescriptor> ordered) {
        if (ordered.containsKey(file.getName())) {
            return;
        }
        for (FileDescriptor imported : file.getDependencies()) {
            collect(imported, ordered);
        }
        ordered.put(file.getName(), file);
    }

    public static void main(String[] args) throws ReflectiveOperationException, IOException {
        if (args.length < 2) {
            System.err.println("usage: DumpDescriptors OUT OUTER_CLASS...");
            System.exit(2);
        }
        Map<String, FileDescriptor> ordered = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            Object descriptor = Class.forName(args[i]).getMethod("getDescriptor").invoke(null);
            collect((FileDescriptor) descriptor, ordered);
        }
        FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
        for (FileDescriptor file : ordered.values()) {
            set.addFile(file.toProto());
        }
        try (OutputStream out = new FileOutputStream(args[0])) {
            set.build().writeTo(out);
        }
        for (String name : ordered.keySet()) {
            System.out.println(name);
        }
    }
}
