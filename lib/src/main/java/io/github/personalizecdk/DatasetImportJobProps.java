package io.github.personalizecdk;

/** Properties of a {@link DatasetImportJob}: the dataset and the job's options. */
public final class DatasetImportJobProps {
    private final IDataset dataset;
    private final DatasetImportJobOptions options;

    private DatasetImportJobProps(IDataset dataset, DatasetImportJobOptions options) {
        this.dataset = dataset;
        this.options = options; // required: checked with the path by the job
    }

    public static DatasetImportJobProps of(IDataset dataset, DatasetImportJobOptions options) {
        return new DatasetImportJobProps(dataset, options);
    }

    /** The dataset. Required. */
    public IDataset getDataset() {
        return dataset;
    }

    public DatasetImportJobOptions getOptions() {
        return options;
    }
}
