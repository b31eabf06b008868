// A small Flink DataStream job for the interop suite, compiled against flink-dist at test time:
// multiplies 1..10 by 20000 and prints the results (to the TaskManager's taskmanager.out).  With an
// argument N, each element waits N ms first, so that the job keeps a TaskManager busy.

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

public final class InteropJob {
    private InteropJob() {
    }

    public static void main(String[] args) throws Exception {
        long pause = args.length > 0 ? Long.parseLong(args[0]) : 0;
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromSequence(1, 10)
                .map(n -> {
                    Thread.sleep(pause);
                    return n * 20000;
                })
                .returns(Types.LONG)
                .print();
        env.execute("yarnemu interop job");
    }
}
