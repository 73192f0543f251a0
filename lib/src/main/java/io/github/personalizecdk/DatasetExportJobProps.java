package io.github.personalizecdk;

/** Properties of a {@link DatasetExportJob}: the dataset and the job's options. */
public final class DatasetExportJobProps {
    private final IDataset dataset;
    private final DatasetExportJobOptions options;

    private DatasetExportJobProps(IDataset dataset, DatasetExportJobOptions options) {
        this.dataset = dataset;
        this.options = options; // required: checked with the path by the job
    }

    public static DatasetExportJobProps of(IDataset dataset, DatasetExportJobOptions options) {
        return new DatasetExportJobProps(dataset, options);
    }

    /** The dataset. Required. */
    public IDataset getDataset() {
        return dataset;
    }

    public DatasetExportJobOptions getOptions() {
        return options;
    }
}
